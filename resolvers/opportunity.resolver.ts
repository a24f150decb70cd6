import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { Contact } from './contact.type';
import { Customer } from './customer.type';
import { Salesperson } from './salesperson.type';
import { Opportunity } from './opportunity.type';

@Resolver(() => Opportunity)
export class OpportunityResolver extends UnifiedQueries('Opportunity', Opportunity, { list: 'opportunities', one: 'opportunity' }) {
  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() opportunity: Opportunity, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Customer', opportunity.erp ? { erpCode: opportunity.erp.customerNo } : { crmKey: opportunity.crm?.parentAccountId });
  }

  @FieldResolver(() => Contact, { nullable: true })
  contact(@Root() opportunity: Opportunity, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Contact', opportunity.erp ? { erpCode: opportunity.erp.contactNo } : { crmKey: opportunity.crm?.parentContactId });
  }

  @FieldResolver(() => Salesperson, { nullable: true, description: 'The ERP salesperson, which decides the CRM owner.' })
  salesperson(@Root() opportunity: Opportunity, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Salesperson', opportunity.erp ? { erpCode: opportunity.erp.salespersonCode } : { crmKey: opportunity.crm?.ownerId });
  }
}
