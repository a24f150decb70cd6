import { Field, Float, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';

/** Business Central's Sales Invoice Header table (112): the header of a posted sales invoice. */
@Entity({ schema: 'erp', name: 'sales_invoice_header' })
@ObjectType('ErpSalesInvoiceHeader', { description: 'A posted sales invoice (BC table Sales Invoice Header).' })
export class SalesInvoiceHeader extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 20 })
  no!: string;

  @Field()
  @Index()
  @Column('varchar', { length: 20 })
  sellToCustomerNo!: string;

  @Field()
  @Index()
  @Column('varchar', { length: 20 })
  billToCustomerNo!: string;

  @Field(() => String)
  @Column('date')
  postingDate!: string;

  @Field(() => String, { nullable: true })
  @Column('date', { nullable: true })
  dueDate!: string | null;

  @Field(() => String, { nullable: true, description: 'Null means the local currency (LCY).' })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  currencyCode!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  salespersonCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 35, nullable: true })
  externalDocumentNo!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 35, nullable: true })
  yourReference!: string | null;

  @Field(() => Float, { description: 'Total excluding VAT, in the invoice currency.' })
  @Column(decimalColumn)
  amount!: number;

  @Field(() => Float, { description: 'Total including VAT, in the invoice currency.' })
  @Column(decimalColumn)
  amountIncludingVat!: number;
}
