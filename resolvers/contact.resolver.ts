import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { Customer } from './customer.type';
import { Salesperson } from './salesperson.type';
import { Contact } from './contact.type';

@Resolver(() => Contact)
export class ContactResolver extends UnifiedQueries('Contact', Contact, { list: 'contacts', one: 'contact' }) {
  @FieldResolver(() => Customer, { nullable: true, description: 'The customer of the ERP company contact, or the CRM parent account.' })
  async customer(@Root() contact: Contact, @Ctx() ctx: GatewayContext) {
    const company = contact.erp ? await ctx.loaders.erp.oneByField<erp.Contact>('contact', 'no', contact.erp.companyNo) : null;
    const parentAccount = contact.crm?.parentCustomerType === crm.CustomerLookupType.ACCOUNT ? contact.crm.parentCustomerId : null;
    return ctx.records.related('Customer', contact.erp ? { erpCode: company?.customerNo } : { crmKey: parentAccount });
  }

  @FieldResolver(() => Salesperson, { nullable: true })
  salesperson(@Root() contact: Contact, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Salesperson', contact.erp ? { erpCode: contact.erp.salespersonCode } : { crmKey: contact.crm?.ownerId });
  }
}
