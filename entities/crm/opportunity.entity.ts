import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

export enum OpportunityState {
  OPEN = 'OPEN',
  WON = 'WON',
  LOST = 'LOST',
}

registerEnumType(OpportunityState, { name: 'CrmOpportunityState', description: 'Dataverse opportunity statecode.' });

/** Dataverse `opportunity`. */
@Entity({ schema: 'crm', name: 'opportunity' })
@ObjectType('CrmOpportunity', { description: 'A CRM opportunity (Dataverse opportunity): a potential sale.' })
export class Opportunity extends CrmRecord {
  @Field()
  @Column('varchar', { length: 300 })
  name!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  parentAccountId!: string | null;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  parentContactId!: string | null;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  ownerId!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  transactionCurrencyId!: string | null;

  @Field(() => Float, { nullable: true })
  @Column({ ...decimalColumn, nullable: true })
  estimatedValue!: number | null;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @Column('date', { nullable: true })
  estimatedCloseDate!: string | null;

  @Field(() => Int, { nullable: true, description: 'Percent, 0–100.' })
  @Column('int', { nullable: true })
  closeProbability!: number | null;

  @Field(() => OpportunityState)
  @Column('varchar', { length: 30 })
  stateCode!: OpportunityState;
}
