import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { Price } from './price.type';
import { PriceList } from './price-list.type';

@Resolver(() => PriceList)
export class PriceListResolver extends UnifiedQueries('PriceList', PriceList, { list: 'priceLists', one: 'priceList' }) {
  @FieldResolver(() => [Price])
  prices(@Root() priceList: PriceList, @Ctx() ctx: GatewayContext) {
    const groupPrices = priceList.erp
      ? ctx.loaders.erp
          .byField<erp.SalesPrice>('sales_price', 'salesCode')
          .load(priceList.erp.code)
          .then((prices) => prices.filter((price) => price.salesType === erp.SalesType.CUSTOMER_PRICE_GROUP))
      : [];
    const crmPrices = priceList.crm ? ctx.loaders.crm.byField<crm.ProductPriceLevel>('product_price_level', 'priceLevelId').load(priceList.crm.id) : [];
    return ctx.records.relatedMany('Price', groupPrices, crmPrices);
  }
}
