import { Args, Ctx, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from './common/gateway-context';
import { PriceArgs, ProductPrice } from './common/product-price.type';
import { UnifiedQueries } from './common/unified-queries';
import { Price } from './price.type';
import { UnitOfMeasure } from './unit-of-measure.type';
import { Item } from './item.type';

@Resolver(() => Item)
export class ItemResolver extends UnifiedQueries('Item', Item, { list: 'items', one: 'item' }) {
  @FieldResolver(() => UnitOfMeasure, { nullable: true, description: 'The base unit of measure (CRM: the default unit group).' })
  unitOfMeasure(@Root() item: Item, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('UnitOfMeasure', item.erp ? { erpCode: item.erp.baseUnitOfMeasure } : { crmKey: item.crm?.defaultUnitGroupId });
  }

  @FieldResolver(() => [Price], { description: 'ERP sales prices of the item and CRM price list items of the product.' })
  prices(@Root() item: Item, @Ctx() ctx: GatewayContext) {
    return ctx.records.relatedMany(
      'Price',
      item.erp ? ctx.loaders.erp.byField<erp.SalesPrice>('sales_price', 'itemNo').load(item.erp.no) : [],
      item.crm ? ctx.loaders.crm.byField<crm.ProductPriceLevel>('product_price_level', 'productId').load(item.crm.id) : [],
    );
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'ERP inventory less the quantities on open ERP sales orders; null when item availability is off in the connection setup, or the item is not in the ERP.',
  })
  availability(@Root() item: Item, @Ctx() ctx: GatewayContext) {
    return item.erp ? ctx.services.availability.availability(ctx, item.erp) : null;
  }

  @FieldResolver(() => ProductPrice, { nullable: true, description: 'The ERP sales price for a customer, quantity, currency and date; null when the item is not in the ERP.' })
  price(@Root() item: Item, @Args(() => PriceArgs) args: PriceArgs, @Ctx() ctx: GatewayContext) {
    return item.erp ? ctx.services.pricing.itemPrice(ctx, item.erp, args) : null;
  }
}
