import type { DataSource } from 'typeorm';
import { IntegrationRecord } from '../../entities/integration/integration-record.entity';

const selections = new WeakMap<DataSource, string>();

/**
 * Every column under its property name, so that pg's rows are the records: each column is one pg
 * parses into the entity's own type (uuid, text, boolean, timestamptz), and TypeORM's hydration of
 * a chunk's thousands of rows would cost more than the lookup.
 */
function selectionOf(integration: DataSource): string {
  let selection = selections.get(integration);
  if (!selection) {
    selection = integration
      .getMetadata(IntegrationRecord)
      .columns.map((column) => `r.${column.databaseName} AS "${column.propertyName}"`)
      .join(', ');
    selections.set(integration, selection);
  }
  return selection;
}

/**
 * A mapping's integration records whose ERP (or CRM) key is one of `keys`, one index probe per
 * key. The plain `mapping_name = $1 AND erp_id = ANY($2)` lets the planner, trusting statistics
 * from before a full synchronisation began to fill the mapping's part of the table, scan all of
 * that part and test each row against the array: every chunk then costs more than the last
 * (100 ms per 2,000 keys halfway through 100,000 customers). The LIMIT keeps the lateral lookup a
 * probe of the unique key whatever the statistics say.
 */
export async function linksByKey(integration: DataSource, mappingName: string, side: 'erpId' | 'crmId', keys: readonly string[]): Promise<IntegrationRecord[]> {
  if (keys.length === 0) return [];
  const column = side === 'erpId' ? 'erp_id' : 'crm_id';
  return integration.query(
    `SELECT ${selectionOf(integration)}
       FROM unnest($2::uuid[]) AS wanted(key)
       CROSS JOIN LATERAL (SELECT * FROM integration.integration_record WHERE mapping_name = $1 AND ${column} = wanted.key LIMIT 1) r`,
    [mappingName, [...new Set(keys)]],
  );
}
