import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

export enum SalesDocumentType {
  QUOTE = 'QUOTE',
  ORDER = 'ORDER',
  INVOICE = 'INVOICE',
  CREDIT_MEMO = 'CREDIT_MEMO',
}

registerEnumType(SalesDocumentType, { name: 'ErpSalesDocumentType', description: 'BC sales document type.' });

export enum SalesDocumentStatus {
  OPEN = 'OPEN',
  RELEASED = 'RELEASED',
}

registerEnumType(SalesDocumentStatus, { name: 'ErpSalesDocumentStatus', description: 'BC sales document status.' });

/** Business Central's Sales Header table (36): the header of an open sales quote, order, invoice or credit memo. */
@Entity({ schema: 'erp', name: 'sales_header' })
@ObjectType('ErpSalesHeader', { description: 'An open sales document (BC table Sales Header).' })
@Index(['documentType', 'no'], { unique: true })
export class SalesHeader extends ErpRecord {
  @Field(() => SalesDocumentType)
  @Column('varchar', { length: 20, default: SalesDocumentType.ORDER })
  documentType!: SalesDocumentType;

  @Field()
  @Column('varchar', { length: 20 })
  no!: string;

  @Field()
  @Index()
  @Column('varchar', { length: 20 })
  sellToCustomerNo!: string;

  @Field(() => String)
  @Column('date')
  orderDate!: string;

  @Field(() => String, { nullable: true, description: 'Null means the local currency (LCY).' })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  currencyCode!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  salespersonCode!: string | null;

  @Field(() => String, { nullable: true, description: "Receives the CRM order's Name." })
  @Column('varchar', { length: 35, nullable: true })
  externalDocumentNo!: string | null;

  @Field(() => String, { nullable: true, description: 'Receives the CRM order number, by which a second transfer of the order is recognised.' })
  @Index()
  @Column('varchar', { length: 35, nullable: true })
  yourReference!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 10, nullable: true })
  paymentTermsCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 10, nullable: true })
  shipmentMethodCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 10, nullable: true })
  shippingAgentCode!: string | null;

  @Field(() => SalesDocumentStatus)
  @Column('varchar', { length: 20, default: SalesDocumentStatus.OPEN })
  status!: SalesDocumentStatus;
}
