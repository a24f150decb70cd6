import { Ctx, Directive, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';
import { Customer } from './customer.resolver';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A CRM sales order and the ERP sales order it was transferred to (CRM → ERP).' })
export class SalesOrder extends UnifiedObject('SalesOrder', erp.SalesHeader, crm.SalesOrder) {
  @Field(() => String, { nullable: true })
  number!: string | null;

  @Field(() => String, { nullable: true, description: 'The CRM order name; the ERP External Document No.' })
  name!: string | null;
}

@Resolver(() => SalesOrder)
export class SalesOrderResolver extends UnifiedQueries('SalesOrder', SalesOrder, { list: 'salesOrders', one: 'salesOrder' }) {
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
