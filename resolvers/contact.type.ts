import { Directive, Field, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP person contact of a company and the CRM contact of an account it is coupled to.' })
export class Contact extends UnifiedObject('Contact', erp.Contact, crm.Contact) {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  jobTitle!: string | null;
}
