import { WriteInProductType } from '../../entities/erp/sales-receivables-setup.entity';
import type { SystemConnector } from '../connectors/system-connector';

const mappingOf: Readonly<Record<WriteInProductType, string>> = {
  [WriteInProductType.ITEM]: 'ITEM-PRODUCT',
  [WriteInProductType.RESOURCE]: 'RESOURCE-PRODUCT',
};

/**
 * The No. of the ERP item or resource that write-in product lines of CRM sales orders become
 * (Sales & Receivables Setup), when it belongs to `mappingName`; else null. It stands for products
 * the CRM does not have, so it is never synchronised or coupled: a CRM product coupled to it would
 * make write-in lines look like catalogue lines.
 */
export async function writeInProductNo(erp: SystemConnector, mappingName: string): Promise<string | null> {
  if (mappingName !== mappingOf.ITEM && mappingName !== mappingOf.RESOURCE) return null;
  const table = erp.table('sales_receivables_setup');
  const [setup] = await erp.getByField(table, 'primaryKey', ['']);
  if (!setup?.writeInProductNo) return null;
  return mappingOf[setup.writeInProductType as WriteInProductType] === mappingName ? (setup.writeInProductNo as string) : null;
}
