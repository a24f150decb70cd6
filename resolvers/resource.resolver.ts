import { Args, Ctx, Directive, Field, FieldResolver, Float, ObjectType, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { PriceArgs, ProductPrice } from './common/product-price.type';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';
import { UnitOfMeasure } from './unit-of-measure.resolver';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP resource and the CRM product of type Services it is coupled to.' })
export class Resource extends UnifiedObject('Resource', erp.Resource, crm.Product) {
  @Field(() => String, { nullable: true })
  number!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Float, { nullable: true })
  unitPrice!: number | null;

  @Field(() => Float, { nullable: true })
  unitCost!: number | null;
}

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
