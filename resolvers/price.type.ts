import { Directive, Field, Float, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP sales price for a customer price group and the CRM price list item it is coupled to.' })
export class Price extends UnifiedObject('Price', erp.SalesPrice, crm.ProductPriceLevel) {
  @Field(() => Float, { nullable: true })
  unitPrice!: number | null;

  @Field(() => Float, { nullable: true })
  minimumQuantity!: number | null;
}
