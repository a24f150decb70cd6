import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { Contact } from './contact.type';
import { Currency } from './currency.type';
import { Invoice } from './invoice.type';
import { Opportunity } from './opportunity.type';
import { Salesperson } from './salesperson.type';
import { Customer } from './customer.type';

@Resolver(() => Customer)
export class CustomerResolver extends UnifiedQueries('Customer', Customer, { list: 'customers', one: 'customer' }) {
  @FieldResolver(() => Salesperson, { nullable: true, description: 'The ERP salesperson; for a CRM-only account, its owner.' })
  salesperson(@Root() customer: Customer, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Salesperson', customer.erp ? { erpCode: customer.erp.salespersonCode } : { crmKey: customer.crm?.ownerId });
  }

  @FieldResolver(() => Currency, { nullable: true, description: 'Null for the local currency.' })
  currency(@Root() customer: Customer, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Currency', customer.erp ? { erpCode: customer.erp.currencyCode } : { crmKey: customer.crm?.transactionCurrencyId });
  }

  @FieldResolver(() => [Contact], { description: 'People at the customer: ERP persons of its company contact and CRM contacts of its account.' })
  contacts(@Root() customer: Customer, @Ctx() ctx: GatewayContext) {
    const erpPeople = customer.erp
      ? ctx.loaders.erp
          .byField<erp.Contact>('contact', 'customerNo')
          .load(customer.erp.no)
          .then((companies) =>
            ctx.loaders.erp.allByField<erp.Contact>(
              'contact',
              'companyNo',
              companies.map((company) => company.no),
            ),
          )
      : [];
    const crmPeople = customer.crm ? ctx.loaders.crm.byField<crm.Contact>('contact', 'parentCustomerId').load(customer.crm.id) : [];
    return ctx.records.relatedMany('Contact', erpPeople, crmPeople);
  }

  @FieldResolver(() => [Opportunity])
  opportunities(@Root() customer: Customer, @Ctx() ctx: GatewayContext) {
    return ctx.records.relatedMany(
      'Opportunity',
      customer.erp ? ctx.loaders.erp.byField<erp.Opportunity>('opportunity', 'customerNo').load(customer.erp.no) : [],
      customer.crm ? ctx.loaders.crm.byField<crm.Opportunity>('opportunity', 'parentAccountId').load(customer.crm.id) : [],
    );
  }

  @FieldResolver(() => [Invoice], { description: 'Posted ERP invoices sold to the customer and CRM invoices of the account.' })
  invoices(@Root() customer: Customer, @Ctx() ctx: GatewayContext) {
    return ctx.records.relatedMany(
      'Invoice',
      customer.erp ? ctx.loaders.erp.byField<erp.SalesInvoiceHeader>('sales_invoice_header', 'sellToCustomerNo').load(customer.erp.no) : [],
      customer.crm ? ctx.loaders.crm.byField<crm.Invoice>('invoice', 'customerId').load(customer.crm.id) : [],
    );
  }
}
