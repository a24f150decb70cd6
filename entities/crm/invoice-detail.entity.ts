import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

/** Dataverse `invoicedetail`. */
@Entity({ schema: 'crm', name: 'invoice_detail' })
@Index(['invoiceId', 'lineItemNumber'], { unique: true })
@ObjectType('CrmInvoiceDetail', { description: 'A CRM invoice product (Dataverse invoicedetail): one invoice line.' })
export class InvoiceDetail extends CrmRecord {
  @Field(() => ID)
  @Index()
  @Column('uuid')
  invoiceId!: string;

  @Field(() => Int)
  @Column('int')
  lineItemNumber!: number;

  @Field(() => ID, { nullable: true, description: 'Null for write-in products.' })
  @Index()
  @Column('uuid', { nullable: true })
  productId!: string | null;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  unitId!: string | null;

  @Field({ description: 'True for a write-in product (no productId).' })
  @Column('boolean')
  isProductOverridden!: boolean;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  productDescription!: string | null;

  @Field(() => Float)
  @Column(decimalColumn)
  quantity!: number;

  @Field(() => Float)
  @Column(decimalColumn)
  pricePerUnit!: number;

  @Field(() => Float)
  @Column(decimalColumn)
  extendedAmount!: number;
}
