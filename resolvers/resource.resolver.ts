import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from './common/gateway-context';
import { PriceArgs, ProductPrice } from './common/product-price.type';
import { UnifiedQueries } from './common/unified-queries';
import { UnitOfMeasure } from './unit-of-measure.type';
import { Resource } from './resource.type';

@Resolver(() => Resource)
export class ResourceResolver extends UnifiedQueries('Resource', Resource, { list: 'resources', one: 'resource' }) {
  @FieldResolver(() => UnitOfMeasure, { nullable: true })
  unitOfMeasure(@Root() resource: Resource, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('UnitOfMeasure', resource.erp ? { erpCode: resource.erp.baseUnitOfMeasure } : { crmKey: resource.crm?.defaultUnitGroupId });
  }

  @FieldResolver(() => ProductPrice, { nullable: true, description: 'The ERP price for a customer, quantity, currency and date; null when the resource is not in the ERP.' })
  price(@Root() resource: Resource, @Args(() => PriceArgs) args: PriceArgs, @Ctx() ctx: GatewayContext) {
    return resource.erp ? ctx.services.pricing.resourcePrice(ctx, resource.erp, args) : null;
  }
}
