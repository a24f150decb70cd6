import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

/** Dataverse `salesorderdetail`. */
@Entity({ schema: 'crm', name: 'sales_order_detail' })
@Index(['salesOrderId', 'lineItemNumber'], { unique: true })
@ObjectType('CrmSalesOrderDetail', { description: 'A CRM order product (Dataverse salesorderdetail): one order line.' })
export class SalesOrderDetail extends CrmRecord {
  @Field(() => ID)
  @Index()
  @Column('uuid')
  salesOrderId!: string;

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

  // text, not varchar: write-in descriptions can exceed the ERP's 100-character Description.
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
