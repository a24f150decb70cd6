import { Field, Float, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { rateColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';

/** Business Central's Currency table (4); the local currency (LCY) has no row and is referenced as a null code. */
@Entity({ schema: 'erp', name: 'currency' })
@ObjectType('ErpCurrency', { description: 'A foreign currency (BC table Currency).' })
export class Currency extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 10 })
  code!: string;

  @Field()
  @Column('varchar', { length: 30 })
  description!: string;

  @Field(() => String, { nullable: true, description: 'Null for currencies without a standard ISO 4217 code.' })
  @Column('varchar', { length: 3, nullable: true })
  isoCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 10, nullable: true })
  symbol!: string | null;

  @Field(() => Float)
  @Column(rateColumn)
  exchangeRate!: number;
}
