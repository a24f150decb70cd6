import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import type { GatewayContext } from './common/gateway-context';
import { UnifiedQueries } from './common/unified-queries';
import { Item } from './item.type';
import { Resource } from './resource.type';
import { InvoiceLine } from './invoice-line.type';

@Resolver(() => InvoiceLine)
export class InvoiceLineResolver extends UnifiedQueries('InvoiceLine', InvoiceLine, { list: 'invoiceLines', one: 'invoiceLine' }) {
  @FieldResolver(() => Item, { nullable: true, description: 'The item sold on an item line.' })
  item(@Root() line: InvoiceLine, @Ctx() ctx: GatewayContext) {
    return soldProduct(ctx, line, 'Item', erp.SalesLineType.ITEM, crm.ProductType.SALES_INVENTORY);
  }

  @FieldResolver(() => Resource, { nullable: true, description: 'The resource sold on a resource line.' })
  resource(@Root() line: InvoiceLine, @Ctx() ctx: GatewayContext) {
    return soldProduct(ctx, line, 'Resource', erp.SalesLineType.RESOURCE, crm.ProductType.SERVICES);
  }
}

/** An ERP line names its item or resource by type and No.; a CRM line only by product, whose type tells which. */
async function soldProduct(ctx: GatewayContext, line: InvoiceLine, typeName: 'Item' | 'Resource', lineType: erp.SalesLineType, productType: crm.ProductType) {
  if (line.erp && line.erp.type !== lineType) return null;
  const sold = await ctx.records.related(typeName, line.erp ? { erpCode: line.erp.no } : { crmKey: line.crm?.productId });
  return sold && (sold.erp || (sold.crm as crm.Product | null)?.productTypeCode === productType) ? sold : null;
}
