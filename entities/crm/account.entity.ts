import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

export enum AccountRelationshipType {
  COMPETITOR = 'COMPETITOR',
  CONSULTANT = 'CONSULTANT',
  CUSTOMER = 'CUSTOMER',
  INVESTOR = 'INVESTOR',
  PARTNER = 'PARTNER',
  INFLUENCER = 'INFLUENCER',
  PRESS = 'PRESS',
  PROSPECT = 'PROSPECT',
  RESELLER = 'RESELLER',
  SUPPLIER = 'SUPPLIER',
  VENDOR = 'VENDOR',
  OTHER = 'OTHER',
}

registerEnumType(AccountRelationshipType, {
  name: 'CrmAccountRelationshipType',
  description: 'Dataverse account customertypecode (relationship type).',
});

export enum AccountState {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}

registerEnumType(AccountState, { name: 'CrmAccountState', description: 'Dataverse account statecode.' });

/** Dataverse `account`. */
@Entity({ schema: 'crm', name: 'account' })
@ObjectType('CrmAccount', { description: 'A CRM account (Dataverse account): a company the business deals with.' })
export class Account extends CrmRecord {
  @Field()
  @Column('varchar', { length: 160 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  accountNumber!: string | null;

  @Field(() => AccountRelationshipType)
  @Column('varchar', { length: 30 })
  customerTypeCode!: AccountRelationshipType;

  @Field(() => AccountState)
  @Column('varchar', { length: 30 })
  stateCode!: AccountState;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  ownerId!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  transactionCurrencyId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Option value; its label is in CrmOptionSetValue (PAYMENT_TERMS).' })
  @Column('int', { nullable: true })
  paymentTermsCode!: number | null;

  @Field(() => Int, { nullable: true, description: 'Option value; its label is in CrmOptionSetValue (FREIGHT_TERMS).' })
  @Column('int', { nullable: true })
  address1FreightTermsCode!: number | null;

  @Field(() => Int, { nullable: true, description: 'Option value; its label is in CrmOptionSetValue (SHIPPING_METHOD).' })
  @Column('int', { nullable: true })
  address1ShippingMethodCode!: number | null;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  parentAccountId!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 50, nullable: true })
  telephone1!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  emailAddress1!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 250, nullable: true })
  address1Line1!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 80, nullable: true })
  address1City!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 20, nullable: true })
  address1PostalCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 80, nullable: true })
  address1Country!: string | null;

  @Field(() => Float, { nullable: true })
  @Column({ ...decimalColumn, nullable: true })
  creditLimit!: number | null;
}
