import type { DataSource } from 'typeorm';
import type { DomainRecord, SystemConnector, SystemName, Table } from '../connectors/system-connector';
import type { DiscoveryService } from '../unify/discovery.service';

const other = (side: SystemName): SystemName => (side === 'erp' ? 'crm' : 'erp');

/**
 * The records of one side of a mapping that no coupling holds, at most `limit` of the indexed ones:
 * the one-sided rows of the unified index, read by key, and the records the index has not followed
 * yet (the side's change feed after its cursor) that no coupling holds. The duplicate review
 * compares new records with these; reading the side's whole list instead made every one-second
 * propagation run that creates a record read every record of a large table. Null when the index
 * does not count as many records of the side as the system holds: some record's change was never
 * followed (a record whose modified-at was set back behind the cursor), so only the list is sure.
 */
export async function uncoupledRecords(
  connector: SystemConnector,
  integration: DataSource,
  discovery: DiscoveryService,
  mappingName: string,
  side: SystemName,
  table: Table,
  limit: number,
): Promise<DomainRecord[] | null> {
  const [own, counterpart] = [`${side}_id`, `${other(side)}_id`];
  const [[{ count }], held] = await Promise.all([
    integration.query(`SELECT count(*)::int AS count FROM integration.integration_record WHERE mapping_name = $1 AND ${own} IS NOT NULL`, [mappingName]) as Promise<
      Array<{ count: number }>
    >,
    connector.count(table),
  ]);
  if (count !== held) return null;
  const [indexed, unindexed] = await Promise.all([
    integration.query(
      `SELECT ${own}::text AS key FROM integration.integration_record
        WHERE mapping_name = $1 AND ${own} IS NOT NULL AND ${counterpart} IS NULL ORDER BY ${own} LIMIT $2`,
      [mappingName, limit],
    ) as Promise<Array<{ key: string }>>,
    discovery.notIndexedYet(mappingName, side, limit),
  ]);
  const coupled: Array<{ key: string }> =
    unindexed.length === 0
      ? []
      : await integration.query(
          `SELECT ${own}::text AS key FROM integration.integration_record WHERE mapping_name = $1 AND ${own} = ANY($2::uuid[]) AND ${counterpart} IS NOT NULL`,
          [mappingName, unindexed.map((record) => connector.keyOf(table, record))],
        );
  const taken = new Set(coupled.map((row) => row.key));
  const fresh = unindexed.filter((record) => !taken.has(connector.keyOf(table, record)));
  const seen = new Set(fresh.map((record) => connector.keyOf(table, record)));
  const rest =
    indexed.length === 0
      ? []
      : await connector.getByKeys(
          table,
          indexed.map((row) => row.key).filter((key) => !seen.has(key)),
        );
  return [...fresh, ...rest];
}
