import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';

/** BC's Blocked option on Customer; BC stores "not blocked" as a blank option value, spelled NONE here. */
export enum CustomerBlocked {
  NONE = 'NONE',
  SHIP = 'SHIP',
  INVOICE = 'INVOICE',
  ALL = 'ALL',
}

registerEnumType(CustomerBlocked, {
  name: 'ErpCustomerBlocked',
  description: "Which transactions are blocked for a customer (NONE is BC's blank option).",
});

/** Business Central's Customer table (18). */
@Entity({ schema: 'erp', name: 'customer' })
@ObjectType('ErpCustomer', { description: 'A customer (BC table Customer).' })
export class Customer extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 20 })
  no!: string;

  @Field()
  @Column('varchar', { length: 100 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  address!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 30, nullable: true })
  city!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 20, nullable: true })
  postCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 10, nullable: true })
  countryRegionCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 30, nullable: true })
  phoneNo!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 80, nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  salespersonCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Null means the local currency (LCY).' })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  currencyCode!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  customerPriceGroup!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  paymentTermsCode!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  shipmentMethodCode!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  shippingAgentCode!: string | null;

  @Field(() => Float)
  @Column({ ...decimalColumn, default: 0 })
  creditLimitLcy!: number;

  @Field(() => CustomerBlocked)
  @Column('varchar', { length: 10, default: CustomerBlocked.NONE })
  blocked!: CustomerBlocked;
}
