import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';

export enum OpportunityStatus {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  WON = 'WON',
  LOST = 'LOST',
}

registerEnumType(OpportunityStatus, { name: 'ErpOpportunityStatus', description: 'BC opportunity status.' });

/** Business Central's Opportunity table (5092): a potential sale to a contact. */
@Entity({ schema: 'erp', name: 'opportunity' })
@ObjectType('ErpOpportunity', { description: 'A sales opportunity (BC table Opportunity).' })
export class Opportunity extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 20 })
  no!: string;

  @Field()
  @Column('varchar', { length: 100 })
  description!: string;

  @Field()
  @Index()
  @Column('varchar', { length: 20 })
  contactNo!: string;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  contactCompanyNo!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  customerNo!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  salespersonCode!: string | null;

  @Field(() => OpportunityStatus)
  @Column('varchar', { length: 20 })
  status!: OpportunityStatus;

  @Field(() => Float)
  @Column(decimalColumn)
  estimatedValueLcy!: number;

  @Field(() => String, { nullable: true })
  @Column('date', { nullable: true })
  estimatedClosingDate!: string | null;

  @Field(() => Int)
  @Column('int')
  probabilityPct!: number;
}
