import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { CrmRecord } from './crm-record';

export enum CustomerLookupType {
  ACCOUNT = 'ACCOUNT',
  CONTACT = 'CONTACT',
}

registerEnumType(CustomerLookupType, {
  name: 'CrmCustomerLookupType',
  description: 'The entity a Dataverse customer lookup refers to.',
});

export enum ContactState {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}

registerEnumType(ContactState, { name: 'CrmContactState', description: 'Dataverse contact statecode.' });

/** Dataverse `contact`. */
@Entity({ schema: 'crm', name: 'contact' })
@ObjectType('CrmContact', { description: 'A CRM contact (Dataverse contact): a person, usually at an account.' })
export class Contact extends CrmRecord {
  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 50, nullable: true })
  firstName!: string | null;

  @Field()
  @Column('varchar', { length: 100 })
  lastName!: string;

  @Field()
  @Column('varchar', { length: 200 })
  fullName!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  parentCustomerId!: string | null;

  @Field(() => CustomerLookupType, { nullable: true })
  @Column('varchar', { length: 30, nullable: true })
  parentCustomerType!: CustomerLookupType | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  jobTitle!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  emailAddress1!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 50, nullable: true })
  telephone1!: string | null;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  ownerId!: string;

  @Field(() => ContactState)
  @Column('varchar', { length: 30 })
  stateCode!: ContactState;
}
