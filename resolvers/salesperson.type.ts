import { Directive, Field, ObjectType } from 'type-graphql';
import { SystemUser } from '../entities/crm';
import { SalespersonPurchaser } from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP salesperson/purchaser and the CRM user it is coupled to (CRM → ERP).' })
export class Salesperson extends UnifiedObject('Salesperson', SalespersonPurchaser, SystemUser) {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;
}
