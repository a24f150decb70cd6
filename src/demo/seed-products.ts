import type { RecordStore } from '../../emulators/shared/record-store';
import { bindLookups } from '../../emulators/dataverse/dataverse.emulator';
import type { SystemConnector } from '../connectors/system-connector';
import type { ProductTable } from '../mirrors/product-table';
import { toProductRow } from '../mirrors/product-table';
import { BUSINESS_CENTRAL_TABLES, DATAVERSE_TABLES } from '../mirrors/product-tables';

const EVERY_RECORD = 1_000_000_000;

/**
 * Copies the tables the products hold from a store holding the demo company into the products'
 * emulators, keeping ids, numbers, modified-at and (Dataverse) modified-by: the mirrors' first
 * load then finds the very records they hold.
 */
export async function seedProducts(stores: { erp: SystemConnector; crm: SystemConnector }, products: { businessCentral?: RecordStore; dataverse?: RecordStore }): Promise<void> {
  const copy = async (connector: SystemConnector, product: RecordStore, maps: readonly ProductTable[], dataverse: boolean) => {
    for (const map of maps) {
      const table = connector.table(map.table);
      const records = await connector.list(table, { first: EVERY_RECORD });
      await product.bulkLoad(
        map.entitySet,
        records.map((record) => ({
          id: connector.keyOf(table, record),
          naturalKey: map.naturalKey ? String(record[map.naturalKey]) : null,
          data: dataverse ? { ...bindLookups(toProductRow(table, map, record, true)), _modifiedby_value: record.modifiedBy } : toProductRow(table, map, record, false),
          modifiedAt: record.modifiedAt as Date,
        })),
      );
    }
  };
  if (products.businessCentral) await copy(stores.erp, products.businessCentral, BUSINESS_CENTRAL_TABLES, false);
  if (products.dataverse) await copy(stores.crm, products.dataverse, DATAVERSE_TABLES, true);
}
