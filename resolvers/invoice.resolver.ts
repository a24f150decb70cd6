import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { Currency } from './currency.type';
import { Customer } from './customer.type';
import { InvoiceLine } from './invoice-line.type';
import { Salesperson } from './salesperson.type';
import { Invoice } from './invoice.type';

@Resolver(() => Invoice)
export class InvoiceResolver extends UnifiedQueries('Invoice', Invoice, { list: 'invoices', one: 'invoice' }) {
  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() invoice: Invoice, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Customer', invoice.erp ? { erpCode: invoice.erp.sellToCustomerNo } : { crmKey: invoice.crm?.customerId });
  }

  @FieldResolver(() => Salesperson, { nullable: true, description: "The invoice header's salesperson, which decides the CRM owner." })
  salesperson(@Root() invoice: Invoice, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Salesperson', invoice.erp ? { erpCode: invoice.erp.salespersonCode } : { crmKey: invoice.crm?.ownerId });
  }

  @FieldResolver(() => Currency, { nullable: true, description: 'Null for the local currency.' })
  currency(@Root() invoice: Invoice, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Currency', invoice.erp ? { erpCode: invoice.erp.currencyCode } : { crmKey: invoice.crm?.transactionCurrencyId });
  }

  @FieldResolver(() => [InvoiceLine])
  async lines(@Root() invoice: Invoice, @Ctx() ctx: GatewayContext) {
    const lines = await ctx.records.relatedMany(
      'InvoiceLine',
      invoice.erp ? ctx.loaders.erp.byField<erp.SalesInvoiceLine>('sales_invoice_line', 'documentNo').load(invoice.erp.no) : [],
      invoice.crm ? ctx.loaders.crm.byField<crm.InvoiceDetail>('invoice_detail', 'invoiceId').load(invoice.crm.id) : [],
    );
    return lines.sort((a, b) => Number(a.lineNo ?? 0) - Number(b.lineNo ?? 0));
  }
}
