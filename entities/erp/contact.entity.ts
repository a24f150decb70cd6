import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

export enum ContactType {
  PERSON = 'PERSON',
  COMPANY = 'COMPANY',
}

registerEnumType(ContactType, { name: 'ErpContactType', description: 'Whether a contact is a person or a company.' });

/** Business Central's Contact table (5050): companies and the persons who work for them. */
@Entity({ schema: 'erp', name: 'contact' })
@ObjectType('ErpContact', { description: 'A contact person or company (BC table Contact).' })
export class Contact extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 20 })
  no!: string;

  @Field()
  @Column('varchar', { length: 100 })
  name!: string;

  @Field(() => ContactType)
  @Column('varchar', { length: 20 })
  type!: ContactType;

  @Field(() => String, {
    nullable: true,
    description: 'For a PERSON contact, the No. of the COMPANY contact it belongs to.',
  })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  companyNo!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a COMPANY contact, the customer it is linked to through its business relation.',
  })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  customerNo!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 30, nullable: true })
  jobTitle!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 80, nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 30, nullable: true })
  phoneNo!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  salespersonCode!: string | null;
}
