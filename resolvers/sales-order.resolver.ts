import { Arg, Authorized, Ctx, Directive, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { SyncJob } from '../entities/integration/sync-job.entity';
import { Role } from '../src/auth/role';
import { TransferStatus, type TransferOutcome } from '../src/sales-orders/sales-order-transfer.service';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';
import { Currency } from './currency.resolver';
import { Customer } from './customer.resolver';
import { Salesperson } from './salesperson.resolver';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A CRM sales order and the ERP sales order it was transferred to (CRM → ERP).' })
export class SalesOrder extends UnifiedObject('SalesOrder', erp.SalesHeader, crm.SalesOrder) {
  @Field(() => String, { nullable: true })
  number!: string | null;

  @Field(() => String, { nullable: true, description: 'The CRM order name; the ERP External Document No.' })
  name!: string | null;
}

@ObjectType({ description: 'What became of one CRM order in a transfer.' })
class SalesOrderTransferResult {
  @Field(() => ID, { description: 'The CRM order\'s GUID.' })
  crmOrderId!: string;

  @Field(() => String, { nullable: true })
  orderNumber!: string | null;

  @Field(() => TransferStatus)
  status!: TransferStatus;

  @Field(() => String, { nullable: true, description: 'FAILED: the error code (CUSTOMER_NOT_COUPLED, ORDER_NOT_SUBMITTED, …).' })
  code!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => ID, { nullable: true, description: 'The ERP sales order\'s SystemId.' })
  erpOrderId!: string | null;
}

@ObjectType({ description: 'A transfer of CRM sales orders: its job row and each order\'s outcome.' })
class SalesOrderTransfer {
  @Field(() => SyncJob)
  job!: SyncJob;

  @Field(() => [SalesOrderTransferResult])
  orders!: TransferOutcome[];
}

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

  @FieldResolver(() => [erp.SalesLine], { description: 'The ERP order lines (write-in products become the setup\'s write-in item or resource).' })
  async erpLines(@Root() order: SalesOrder, @Ctx() ctx: GatewayContext) {
    const lines = order.erp ? await ctx.loaders.erp.byField(erp.SalesLine, 'documentNo').load(order.erp.no) : [];
    return lines.filter((line) => line.documentType === order.erp!.documentType).sort((a, b) => a.lineNo - b.lineNo);
  }

  @FieldResolver(() => [crm.SalesOrderDetail], { description: 'The CRM order products, including write-in products.' })
  async crmLines(@Root() order: SalesOrder, @Ctx() ctx: GatewayContext) {
    const lines = order.crm ? await ctx.loaders.crm.byField(crm.SalesOrderDetail, 'salesOrderId').load(order.crm.id) : [];
    return [...lines].sort((a, b) => a.lineItemNumber - b.lineItemNumber);
  }
}
