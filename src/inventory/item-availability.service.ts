import type { Item } from '../../entities/erp/item.entity';
import { SalesDocumentType } from '../../entities/erp/sales-header.entity';
import { SalesLine, SalesLineType } from '../../entities/erp/sales-line.entity';
import type { RequestReads } from '../unify/request-reads';

/**
 * What a CRM salesperson sees of the ERP's stock (seed: "see the inventory level (availability)
 * of the item"): the inventory less what open sales orders already promise. Read through the
 * request's loaders, so a list of items costs the same statements whatever its length.
 */
export class ItemAvailabilityService {
  /** Null while item availability is turned off in the connection setup. */
  async availability(ctx: RequestReads, item: Item): Promise<number | null> {
    const [setup, lines] = await Promise.all([ctx.loaders.integration.connectionSetup.load('setup'), ctx.loaders.erp.byField<SalesLine>('sales_line', 'no').load(item.no)]);
    if (!setup.itemAvailabilityEnabled) return null;
    // Posted documents leave the sales line table, so every order line there is still open.
    const onOrders = lines.filter((line) => line.documentType === SalesDocumentType.ORDER && line.type === SalesLineType.ITEM).reduce((sum, line) => sum + line.quantity, 0);
    return Math.round((item.inventory - onOrders) * 100) / 100;
  }
}
