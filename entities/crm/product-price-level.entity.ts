import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

export enum QuantitySellingOption {
  NO_CONTROL = 'NO_CONTROL',
  WHOLE = 'WHOLE',
  WHOLE_AND_FRACTIONAL = 'WHOLE_AND_FRACTIONAL',
}

registerEnumType(QuantitySellingOption, {
  name: 'CrmQuantitySellingOption',
  description: 'Dataverse productpricelevel quantitysellingcode.',
});

/** Dataverse `productpricelevel`. */
@Entity({ schema: 'crm', name: 'product_price_level' })
@Index(['priceLevelId', 'productId', 'unitId', 'minimumQuantity'], { unique: true })
// PostgreSQL treats NULLs as distinct in a unique index, so the key above would let unit-less duplicates through.
@Index(['priceLevelId', 'productId', 'minimumQuantity'], { unique: true, where: 'unit_id IS NULL' })
@ObjectType('CrmProductPriceLevel', { description: 'A CRM price list item (Dataverse productpricelevel).' })
export class ProductPriceLevel extends CrmRecord {
  @Field(() => ID)
  @Index()
  @Column('uuid')
  priceLevelId!: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  productId!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  unitId!: string | null;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  transactionCurrencyId!: string | null;

  @Field(() => Float)
  @Column(decimalColumn)
  amount!: number;

  @Field(() => QuantitySellingOption)
  @Column('varchar', { length: 30, default: QuantitySellingOption.NO_CONTROL })
  quantitySellingCode!: QuantitySellingOption;

  @Field(() => Float, { description: "The ERP sales price's minimum quantity." })
  @Column({ ...decimalColumn, default: 0 })
  minimumQuantity!: number;
}
