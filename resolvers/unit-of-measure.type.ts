import { Directive, Field, ObjectType } from 'type-graphql';
import { UnitGroup } from '../entities/crm';
import { UnitOfMeasure as ErpUnitOfMeasure } from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP unit of measure and its CRM unit group (which holds exactly one unit).' })
export class UnitOfMeasure extends UnifiedObject('UnitOfMeasure', ErpUnitOfMeasure, UnitGroup) {
  @Field(() => String, { nullable: true })
  code!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;
}
