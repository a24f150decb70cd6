import { Ctx, Directive, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';
import { Customer } from './customer.resolver';
import { Salesperson } from './salesperson.resolver';

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

@Resolver(() => Contact)
export class ContactResolver extends UnifiedQueries('Contact', Contact, { list: 'contacts', one: 'contact' }) {
  @FieldResolver(() => Customer, { nullable: true, description: 'The customer of the ERP company contact, or the CRM parent account.' })
  async customer(@Root() contact: Contact, @Ctx() ctx: GatewayContext) {
    const company = contact.erp ? await ctx.loaders.erp.oneByField(erp.Contact, 'no', contact.erp.companyNo) : null;
    const parentAccount = contact.crm?.parentCustomerType === crm.CustomerLookupType.ACCOUNT ? contact.crm.parentCustomerId : null;
    return ctx.records.related('Customer', contact.erp ? { erpCode: company?.customerNo } : { crmKey: parentAccount });
  }

  @FieldResolver(() => Salesperson, { nullable: true })
  salesperson(@Root() contact: Contact, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Salesperson', contact.erp ? { erpCode: contact.erp.salespersonCode } : { crmKey: contact.crm?.ownerId });
  }
}
