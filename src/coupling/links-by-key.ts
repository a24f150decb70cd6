import type { DataSource } from 'typeorm';
import { IntegrationRecord } from '../../entities/integration/integration-record.entity';

/**
 * A mapping's integration records whose ERP (or CRM) key is one of `keys`. The keys go as one
 * array parameter: a chunk's thousands of keys as separate parameters cost more to name, send and
 * plan than the lookup itself.
 */
export async function linksByKey(integration: DataSource, mappingName: string, side: 'erpId' | 'crmId', keys: readonly string[]): Promise<IntegrationRecord[]> {
  if (keys.length === 0) return [];
  return integration
    .getRepository(IntegrationRecord)
    .createQueryBuilder('r')
    .where(`r.mapping_name = :mappingName AND r.${side === 'erpId' ? 'erp_id' : 'crm_id'} = ANY(:keys::uuid[])`, { mappingName, keys })
    .getMany();
}
