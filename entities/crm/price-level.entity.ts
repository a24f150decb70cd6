import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { CrmRecord } from './crm-record';

export enum PriceLevelState {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}

registerEnumType(PriceLevelState, { name: 'CrmPriceLevelState', description: 'Dataverse pricelevel statecode.' });

/** Dataverse `pricelevel`. */
@Entity({ schema: 'crm', name: 'price_level' })
@ObjectType('CrmPriceLevel', { description: 'A CRM price list (Dataverse pricelevel).' })
export class PriceLevel extends CrmRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 100 })
  name!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  transactionCurrencyId!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @Column('date', { nullable: true })
  beginDate!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @Column('date', { nullable: true })
  endDate!: string | null;

  @Field(() => PriceLevelState)
  @Column('varchar', { length: 30 })
  stateCode!: PriceLevelState;
}
