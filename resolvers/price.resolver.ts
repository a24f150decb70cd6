import { Ctx, Directive, Field, FieldResolver, Float, ObjectType, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';
import { Currency } from './currency.resolver';
import { PriceList } from './price-list.resolver';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP sales price for a customer price group and the CRM price list item it is coupled to.' })
export class Price extends UnifiedObject('Price', erp.SalesPrice, crm.ProductPriceLevel) {
  @Field(() => Float, { nullable: true })
  unitPrice!: number | null;

  @Field(() => Float, { nullable: true })
  minimumQuantity!: number | null;
}

@Resolver(() => Price)
export class PriceResolver extends UnifiedQueries('Price', Price, { list: 'prices', one: 'price' }) {
  @FieldResolver(() => PriceList, { nullable: true })
  priceList(@Root() price: Price, @Ctx() ctx: GatewayContext) {
    const groupCode = price.erp?.salesType === erp.SalesType.CUSTOMER_PRICE_GROUP ? price.erp.salesCode : null;
    return ctx.records.related('PriceList', price.erp ? { erpCode: groupCode } : { crmKey: price.crm?.priceLevelId });
  }

  @FieldResolver(() => Currency, { nullable: true, description: 'Null for the local currency.' })
  currency(@Root() price: Price, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Currency', price.erp ? { erpCode: price.erp.currencyCode } : { crmKey: price.crm?.transactionCurrencyId });
  }
}
