import { Customer } from '../../entities/erp/customer.entity';
import type { Stores } from '../db/data-sources';

/** True when the ERP already has customers: the demo company (or real data) is there. */
export async function isDemoSeeded(stores: Stores): Promise<boolean> {
  return stores.erp.getRepository(Customer).exists({ select: { systemId: true } });
}
