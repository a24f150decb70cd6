import { Ctx, Directive, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { Unit, UnitGroup } from '../entities/crm';
import { UnitOfMeasure as ErpUnitOfMeasure } from '../entities/erp';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP unit of measure and its CRM unit group (which holds exactly one unit).' })
export class UnitOfMeasure extends UnifiedObject('UnitOfMeasure', ErpUnitOfMeasure, UnitGroup) {
  @Field(() => String, { nullable: true })
  code!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

@Resolver(() => UnitOfMeasure)
export class UnitOfMeasureResolver extends UnifiedQueries('UnitOfMeasure', UnitOfMeasure, { list: 'unitsOfMeasure', one: 'unitOfMeasure' }) {
  @FieldResolver(() => [Unit], { description: 'The units of the CRM unit group.' })
  async crmUnits(@Root() unit: UnitOfMeasure, @Ctx() ctx: GatewayContext): Promise<Unit[]> {
    return unit.crm ? ctx.loaders.crm.byField(Unit, 'unitGroupId').load(unit.crm.id) : [];
  }
}
