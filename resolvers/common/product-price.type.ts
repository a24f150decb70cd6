import { ArgsType, Field, Float, ID, ObjectType } from 'type-graphql';
import { SalesPrice } from '../../entities/erp/sales-price.entity';
import { PriceSource } from '../../src/pricing/sales-price.service';

@ArgsType()
export class PriceArgs {
  @Field(() => ID, { nullable: true, description: 'The Customer buying; without one only prices for all customers apply.' })
  customerId?: string | null;

  @Field(() => Float, { nullable: true, defaultValue: 1, description: 'Sales prices apply from their minimum quantity.' })
  quantity?: number | null;

  @Field(() => String, { nullable: true, description: 'An ERP currency code; the local currency when left out.' })
  currencyCode?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; today when left out.' })
  date?: string | null;
}

@ObjectType({ description: 'The unit price the ERP would put on a sales line for this customer, quantity, currency and date.' })
export class ProductPrice {
  @Field(() => Float)
  unitPrice!: number;

  @Field(() => String, { nullable: true, description: 'Null for the local currency.' })
  currencyCode!: string | null;

  @Field(() => PriceSource)
  source!: PriceSource;

  @Field(() => SalesPrice, { nullable: true, description: 'The sales price line applied, when one was.' })
  salesPrice!: SalesPrice | null;
}
