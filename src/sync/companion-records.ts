import { v5 as uuidV5 } from 'uuid';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';

/** The CRM price list that item synchronisation creates and keeps (seed: "Items"). */
export const ITEM_PRICE_LIST = 'BC Item Price List';

const COMPANION_NAMESPACE = 'b2a8f0c4-5d1e-4c57-8f3a-2d9e6b1c7a40';

/**
 * Records the CRM needs beside the ones a mapping writes: the single unit of a unit group, and an
 * item's entry in the item price list. They are written by the engine as the integration user,
 * with ids derived from their owner so that writing them again changes nothing.
 */
export class CompanionRecords {
  constructor(private readonly crm: SystemConnector) {}

  /** Completes records before they are written: a product gets the item price list and its unit group's unit. */
  async prepare(mappingName: string, to: SystemName, records: DomainRecord[], writer: string): Promise<void> {
    if (to !== 'crm' || mappingName !== 'ITEM-PRODUCT' || records.length === 0) return;
    const priceList = await this.itemPriceList(writer);
    const units = await this.crm.getByField(this.crm.table('unit'), 'unitGroupId', [...new Set(records.map((r) => r.defaultUnitGroupId).filter(Boolean))]);
    for (const product of records) {
      product.priceLevelId = priceList;
      product.defaultUnitId = units.find((unit) => unit.unitGroupId === product.defaultUnitGroupId)?.id ?? null;
    }
  }

  /** Writes what the written records need: a unit group's one unit, a product's price list item. */
  async afterWrite(mappingName: string, to: SystemName, records: readonly DomainRecord[], writer: string): Promise<void> {
    if (to !== 'crm' || records.length === 0) return;
    if (mappingName === 'UNIT OF MEASURE') {
      await this.crm.bulkUpsert(
        this.crm.table('unit'),
        records.map((group) => ({
          id: uuidV5(`unit/${group.id}`, COMPANION_NAMESPACE),
          name: group.name,
          unitGroupId: group.id,
          baseUomId: null,
          quantity: 1,
          isScheduleBaseUom: true,
        })),
        writer,
      );
    }
    if (mappingName === 'ITEM-PRODUCT') {
      const entries = this.crm.table('product_price_level');
      // An entry the list holds already keeps its id (one entered before the gateway, or by the demo): a second would break the list's one price per product and unit.
      const held = new Map(
        (await this.crm.getByField(entries, 'productId', [...new Set(records.map((product) => product.id))]))
          .filter((entry) => records.some((product) => product.priceLevelId === entry.priceLevelId && product.id === entry.productId && Number(entry.minimumQuantity) === 0))
          .map((entry) => [`${entry.productId}/${entry.unitId}`, this.crm.keyOf(entries, entry)]),
      );
      await this.crm.bulkUpsert(
        entries,
        records.map((product) => ({
          id: held.get(`${product.id}/${product.defaultUnitId}`) ?? uuidV5(`item-price/${product.id}`, COMPANION_NAMESPACE),
          priceLevelId: product.priceLevelId,
          productId: product.id,
          unitId: product.defaultUnitId,
          transactionCurrencyId: null,
          amount: product.price ?? 0,
          quantitySellingCode: 'NO_CONTROL',
          minimumQuantity: 0,
        })),
        writer,
      );
    }
  }

  private async itemPriceList(writer: string): Promise<string> {
    const table = this.crm.table('price_level');
    const [existing] = await this.crm.getByField(table, 'name', [ITEM_PRICE_LIST]);
    if (existing) return this.crm.keyOf(table, existing);
    const id = uuidV5('item-price-list', COMPANION_NAMESPACE);
    await this.crm.bulkUpsert(table, [{ id, name: ITEM_PRICE_LIST, transactionCurrencyId: null, beginDate: null, endDate: null, stateCode: 'ACTIVE' }], writer);
    return id;
  }
}
