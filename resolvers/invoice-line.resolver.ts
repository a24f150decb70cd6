import { Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from '../src/server/context';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';
import { UnifiedQueries } from './common/unified-queries';
import { Item } from './item.resolver';
import { Resource } from './resource.resolver';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A posted ERP sales invoice line and the CRM invoice product it is coupled to.' })
export class InvoiceLine extends UnifiedObject('InvoiceLine', erp.SalesInvoiceLine, crm.InvoiceDetail) {
  @Field(() => Int, { nullable: true })
  lineNo!: number | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Float, { nullable: true })
  quantity!: number | null;

  @Field(() => Float, { nullable: true })
  unitPrice!: number | null;

  @Field(() => Float, { nullable: true })
  lineAmount!: number | null;
}

@Resolver(() => InvoiceLine)
export class InvoiceLineResolver extends UnifiedQueries('InvoiceLine', InvoiceLine, { list: 'invoiceLines', one: 'invoiceLine' }) {
  @FieldResolver(() => Item, { nullable: true, description: 'The item sold on an item line.' })
  async item(@Root() line: InvoiceLine, @Ctx() ctx: GatewayContext) {
    if (line.erp) return line.erp.type === erp.SalesLineType.ITEM ? ctx.records.related('Item', { field: 'no', value: line.erp.no }, null) : null;
    const product = line.crm?.productId ? await ctx.loaders.crm.byKey(crm.Product).load(line.crm.productId) : null;
    return product?.productTypeCode === crm.ProductType.SALES_INVENTORY ? ctx.records.fromCrm('Item', product) : null;
  }

  @FieldResolver(() => Resource, { nullable: true, description: 'The resource sold on a resource line.' })
  async resource(@Root() line: InvoiceLine, @Ctx() ctx: GatewayContext) {
    if (line.erp) return line.erp.type === erp.SalesLineType.RESOURCE ? ctx.records.related('Resource', { field: 'no', value: line.erp.no }, null) : null;
    const product = line.crm?.productId ? await ctx.loaders.crm.byKey(crm.Product).load(line.crm.productId) : null;
    return product?.productTypeCode === crm.ProductType.SERVICES ? ctx.records.fromCrm('Resource', product) : null;
  }
}
