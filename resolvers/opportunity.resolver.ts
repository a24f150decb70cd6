import { Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';
import { Contact } from './contact.resolver';
import { Customer } from './customer.resolver';
import { Salesperson } from './salesperson.resolver';

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
