import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Unit } from '../entities/crm';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { UnitOfMeasure } from './unit-of-measure.type';

@Resolver(() => UnitOfMeasure)
export class UnitOfMeasureResolver extends UnifiedQueries('UnitOfMeasure', UnitOfMeasure, { list: 'unitsOfMeasure', one: 'unitOfMeasure' }) {
  @FieldResolver(() => [Unit], { description: 'The units of the CRM unit group.' })
  async crmUnits(@Root() unit: UnitOfMeasure, @Ctx() ctx: GatewayContext): Promise<Unit[]> {
    return unit.crm ? ctx.loaders.crm.byField<Unit>('unit', 'unitGroupId').load(unit.crm.id) : [];
  }
}
