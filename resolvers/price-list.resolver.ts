import { Ctx, Directive, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';
import { Price } from './price.resolver';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP customer price group and the CRM price list it is coupled to.' })
export class PriceList extends UnifiedObject('PriceList', erp.CustomerPriceGroup, crm.PriceLevel) {
  @Field(() => String, { nullable: true })
  name!: string | null;
}

@Resolver(() => PriceList)
export class PriceListResolver extends UnifiedQueries('PriceList', PriceList, { list: 'priceLists', one: 'priceList' }) {
  @FieldResolver(() => [Price])
  prices(@Root() priceList: PriceList, @Ctx() ctx: GatewayContext) {
    const groupPrices = priceList.erp
      ? ctx.loaders.erp
          .byField(erp.SalesPrice, 'salesCode')
          .load(priceList.erp.code)
          .then((prices) => prices.filter((price) => price.salesType === erp.SalesType.CUSTOMER_PRICE_GROUP))
      : [];
    const crmPrices = priceList.crm ? ctx.loaders.crm.byField(crm.ProductPriceLevel, 'priceLevelId').load(priceList.crm.id) : [];
    return ctx.records.relatedMany('Price', groupPrices, crmPrices);
  }
}
