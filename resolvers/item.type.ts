import { Directive, Field, Float, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP item and the CRM product of type Sales Inventory it is coupled to.' })
export class Item extends UnifiedObject('Item', erp.Item, crm.Product) {
  @Field(() => String, { nullable: true })
  number!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Float, { nullable: true })
  unitPrice!: number | null;

  @Field(() => Float, { nullable: true })
  unitCost!: number | null;

  @Field(() => Float, { nullable: true, description: 'ERP inventory: the availability a CRM salesperson sees.' })
  inventory!: number | null;
}
