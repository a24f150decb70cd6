import { Directive, Field, Float, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

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
