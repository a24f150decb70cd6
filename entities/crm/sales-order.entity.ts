import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

export enum SalesOrderState {
  ACTIVE = 'ACTIVE',
  SUBMITTED = 'SUBMITTED',
  CANCELED = 'CANCELED',
  FULFILLED = 'FULFILLED',
  INVOICED = 'INVOICED',
}

registerEnumType(SalesOrderState, { name: 'CrmSalesOrderState', description: 'Dataverse salesorder statecode.' });

/** Dataverse `salesorder`. */
@Entity({ schema: 'crm', name: 'sales_order' })
@ObjectType('CrmSalesOrder', { description: 'A CRM order (Dataverse salesorder).' })
export class SalesOrder extends CrmRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 100 })
  orderNumber!: string;

  @Field({ description: "Becomes the ERP sales order's External Document No." })
  @Column('varchar', { length: 300 })
  name!: string;

  @Field(() => ID, { description: 'The customer account.' })
  @Index()
  @Column('uuid')
  customerId!: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  ownerId!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  transactionCurrencyId!: string | null;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  priceLevelId!: string | null;

  @Field(() => Float)
  @Column(decimalColumn)
  totalAmount!: number;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @Column('date', { nullable: true })
  requestDeliveryBy!: string | null;

  @Field(() => SalesOrderState)
  @Column('varchar', { length: 30 })
  stateCode!: SalesOrderState;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  submittedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Option value of the PAYMENT_TERMS option set.' })
  @Column('int', { nullable: true })
  paymentTermsCode!: number | null;

  @Field(() => Int, { nullable: true, description: 'Option value of the FREIGHT_TERMS option set.' })
  @Column('int', { nullable: true })
  freightTermsCode!: number | null;

  @Field(() => Int, { nullable: true, description: 'Option value of the SHIPPING_METHOD option set.' })
  @Column('int', { nullable: true })
  shippingMethodCode!: number | null;

  @Field(() => Date, { nullable: true, description: 'Dataverse lastbackofficesubmit: when the order was transferred to the ERP.' })
  @Column('timestamptz', { nullable: true })
  lastBackofficeSubmit!: Date | null;
}
