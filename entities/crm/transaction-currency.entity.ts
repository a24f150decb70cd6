import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { rateColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

/** Dataverse `transactioncurrency`. */
@Entity({ schema: 'crm', name: 'transaction_currency' })
@ObjectType('CrmTransactionCurrency', { description: 'A CRM currency (Dataverse transactioncurrency).' })
export class TransactionCurrency extends CrmRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 3 })
  isoCurrencyCode!: string;

  @Field()
  @Column('varchar', { length: 100 })
  currencyName!: string;

  @Field()
  @Column('varchar', { length: 13 })
  currencySymbol!: string;

  @Field(() => Float, { description: 'Units of this currency per one unit of the base currency.' })
  @Column(rateColumn)
  exchangeRate!: number;

  @Field(() => Int)
  @Column('int', { default: 2 })
  currencyPrecision!: number;
}
