import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import * as erp from '../entities/erp';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { Currency } from './currency.type';
import { PriceList } from './price-list.type';
import { Price } from './price.type';

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
