import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { CrmRecord } from './crm-record';

/** Dataverse `systemuser`. */
@Entity({ schema: 'crm', name: 'system_user' })
@ObjectType('CrmSystemUser', { description: 'A CRM user (Dataverse systemuser): owns records and is recorded as their modifier.' })
export class SystemUser extends CrmRecord {
  @Field()
  @Column('varchar', { length: 200 })
  fullName!: string;

  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 200 })
  domainName!: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  internalEmailAddress!: string | null;

  @Field()
  @Column('boolean')
  isDisabled!: boolean;

  @Field()
  @Column('boolean')
  isLicensed!: boolean;

  @Field({ description: "Dataverse's integration user mode: true for the connection account the gateway writes as." })
  @Column('boolean')
  isIntegrationUser!: boolean;
}
