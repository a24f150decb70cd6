import { Directive, Field, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP customer price group and the CRM price list it is coupled to.' })
export class PriceList extends UnifiedObject('PriceList', erp.CustomerPriceGroup, crm.PriceLevel) {
  @Field(() => String, { nullable: true })
  name!: string | null;
}
