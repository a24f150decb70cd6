import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A sales opportunity in both systems.' })
export class Opportunity extends UnifiedObject('Opportunity', erp.Opportunity, crm.Opportunity) {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Float, { nullable: true })
  estimatedValue!: number | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  estimatedCloseDate!: string | null;

  @Field(() => Int, { nullable: true })
  probability!: number | null;
}
