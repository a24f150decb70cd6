import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';

export enum SalesType {
  CUSTOMER = 'CUSTOMER',
  CUSTOMER_PRICE_GROUP = 'CUSTOMER_PRICE_GROUP',
  ALL_CUSTOMERS = 'ALL_CUSTOMERS',
  CAMPAIGN = 'CAMPAIGN',
}

registerEnumType(SalesType, {
  name: 'ErpSalesType',
  description: 'Who a sales price applies to; salesCode holds the matching customer No., price group or campaign code.',
});

/** Business Central's Sales Price table (7002): special item prices by customer, price group or campaign. */
@Entity({ schema: 'erp', name: 'sales_price' })
@ObjectType('ErpSalesPrice', { description: 'A special sales price for an item (BC table Sales Price).' })
// TypeORM 1.1 has no nullsNotDistinct, so rows that differ only in a NULL currency, date or unit of measure are not
// caught by this index (PostgreSQL treats NULLs as distinct).
@Index(['itemNo', 'salesType', 'salesCode', 'currencyCode', 'startingDate', 'unitOfMeasureCode', 'minimumQuantity'], {
  unique: true,
})
export class SalesPrice extends ErpRecord {
  @Field()
  @Index()
  @Column('varchar', { length: 20 })
  itemNo!: string;

  @Field(() => SalesType)
  @Column('varchar', { length: 30 })
  salesType!: SalesType;

  @Field({ description: 'Customer No., customer price group or campaign code; blank for ALL_CUSTOMERS.' })
  @Index()
  @Column('varchar', { length: 20, default: '' })
  salesCode!: string;

  @Field(() => String, { nullable: true, description: 'Null means the local currency (LCY).' })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  currencyCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column('date', { nullable: true })
  startingDate!: string | null;

  @Field(() => String, { nullable: true })
  @Column('date', { nullable: true })
  endingDate!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  unitOfMeasureCode!: string | null;

  @Field(() => Float)
  @Column(decimalColumn)
  minimumQuantity!: number;

  @Field(() => Float)
  @Column(decimalColumn)
  unitPrice!: number;
}
