import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { Currency } from './currency.type';
import { Customer } from './customer.type';
import { Salesperson } from './salesperson.type';
import { SalesOrder, SalesOrderTransfer } from './sales-order.type';

@Resolver(() => SalesOrder)
export class SalesOrderResolver extends UnifiedQueries('SalesOrder', SalesOrder, { list: 'salesOrders', one: 'salesOrder' }) {
  @Authorized(Role.OPERATOR)
  @Mutation(() => SalesOrderTransfer, {
    description:
      'Creates an ERP sales order from each submitted CRM order (SalesOrder ids); an order already transferred is reported, never created twice, and an order that fails leaves nothing in the ERP.',
  })
  transferSalesOrders(@Arg('crmOrderIds', () => [ID]) crmOrderIds: string[], @Ctx() ctx: GatewayContext) {
    return ctx.services.salesOrderTransfer.transfer(crmOrderIds, ctx.principal!.subject);
  }

  @FieldResolver(() => Salesperson, { nullable: true })
  salesperson(@Root() order: SalesOrder, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Salesperson', order.erp ? { erpCode: order.erp.salespersonCode } : { crmKey: order.crm?.ownerId });
  }

  @FieldResolver(() => Currency, { nullable: true, description: 'Null for the local currency.' })
  currency(@Root() order: SalesOrder, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Currency', order.erp ? { erpCode: order.erp.currencyCode } : { crmKey: order.crm?.transactionCurrencyId });
  }

  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() order: SalesOrder, @Ctx() ctx: GatewayContext) {
    return ctx.records.related('Customer', order.erp ? { erpCode: order.erp.sellToCustomerNo } : { crmKey: order.crm?.customerId });
  }

  @FieldResolver(() => [erp.SalesLine], { description: "The ERP order lines (write-in products become the setup's write-in item or resource)." })
  async erpLines(@Root() order: SalesOrder, @Ctx() ctx: GatewayContext) {
    const lines = order.erp ? await ctx.loaders.erp.byField<erp.SalesLine>('sales_line', 'documentNo').load(order.erp.no) : [];
    return lines.filter((line) => line.documentType === order.erp!.documentType).sort((a, b) => a.lineNo - b.lineNo);
  }

  @FieldResolver(() => [crm.SalesOrderDetail], { description: 'The CRM order products, including write-in products.' })
  async crmLines(@Root() order: SalesOrder, @Ctx() ctx: GatewayContext) {
    const lines = order.crm ? await ctx.loaders.crm.byField<crm.SalesOrderDetail>('sales_order_detail', 'salesOrderId').load(order.crm.id) : [];
    return [...lines].sort((a, b) => a.lineItemNumber - b.lineItemNumber);
  }
}
