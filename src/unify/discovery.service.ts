import { randomUUID } from 'node:crypto';
import type { DataSource, ObjectLiteral } from 'typeorm';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { ChangeCursor, SystemConnector, SystemName } from '../connectors/system-connector';
import { matchesFilter } from '../connectors/filter-match';
import { identityOf } from './record-identity';

const upsertSql: Record<SystemName, string> = {
  erp: `
    INSERT INTO integration.integration_record
      (id, mapping_name, erp_id, erp_modified_at, sort_key, erp_search_text, erp_in_scope, erp_code, modified_at, modified_by)
    SELECT id, $1, key, modified_at, sort_key, search_text, in_scope, code, now(), 'discovery'
      FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::varchar[], $6::text[], $7::boolean[], $8::varchar[])
        AS r(id, key, modified_at, sort_key, search_text, in_scope, code)
    ON CONFLICT (mapping_name, erp_id) DO UPDATE
      SET erp_modified_at = excluded.erp_modified_at,
          sort_key = excluded.sort_key,
          erp_search_text = excluded.erp_search_text,
          erp_in_scope = excluded.erp_in_scope,
          erp_code = excluded.erp_code,
          modified_at = excluded.modified_at`,
  crm: `
    INSERT INTO integration.integration_record
      (id, mapping_name, crm_id, crm_modified_at, sort_key, crm_search_text, crm_in_scope, modified_at, modified_by)
    SELECT id, $1, key, modified_at, sort_key, search_text, in_scope, now(), 'discovery'
      FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::varchar[], $6::text[], $7::boolean[])
        AS r(id, key, modified_at, sort_key, search_text, in_scope)
    ON CONFLICT (mapping_name, crm_id) DO UPDATE
      SET crm_modified_at = excluded.crm_modified_at,
          sort_key = CASE WHEN integration_record.erp_id IS NULL THEN excluded.sort_key ELSE integration_record.sort_key END,
          crm_search_text = excluded.crm_search_text,
          crm_in_scope = excluded.crm_in_scope,
          modified_at = excluded.modified_at`,
};

const cursorColumns: Record<SystemName, { at: keyof TableMapping; key: keyof TableMapping; sql: [string, string] }> = {
  erp: { at: 'erpDiscoveredAt', key: 'erpDiscoveredKey', sql: ['erp_discovered_at', 'erp_discovered_key'] },
  crm: { at: 'crmDiscoveredAt', key: 'crmDiscoveredKey', sql: ['crm_discovered_at', 'crm_discovered_key'] },
};

const BULK_INDEXED = 10_000;

/**
 * Keeps integration_record knowing every record of a mapped table on each side, so unified lists
 * can page over both systems without joining them. It follows each side's change feed from a
 * cursor (modified-at, key) stored on the table mapping, and moves the cursor in the same
 * transaction as the index rows it covers. Records outside a mapping's filter are indexed too,
 * marked out of scope: references to them still resolve, lists leave them out.
 */
export class DiscoveryService {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
  ) {}

  /**
   * Indexes at most `limit` changed records per side of a mapping; returns true when a side had
   * more, so a caller that must be complete can call again.
   */
  async refresh(mapping: TableMapping, limit = 1_000): Promise<boolean> {
    const indexed = await Promise.all([this.refreshSide(mapping, 'erp', limit), this.refreshSide(mapping, 'crm', limit)]);
    return indexed.some((count) => count === limit);
  }

  /** Indexes everything not yet indexed, in batches; used after bulk loads and at start-up. */
  async catchUpAll(batchSize = 5_000, onProgress?: (mapping: string, indexed: number) => void): Promise<void> {
    let total = 0;
    const mappings = await this.integration.getRepository(TableMapping).find({ order: { sequence: 'ASC' } });
    for (const mapping of mappings) {
      for (const system of ['erp', 'crm'] as const) {
        let indexed = 0;
        let batch = batchSize;
        while (batch === batchSize) {
          const current = await this.integration.getRepository(TableMapping).findOneByOrFail({ name: mapping.name });
          batch = await this.refreshSide(current, system, batchSize);
          indexed += batch;
        }
        if (indexed > 0) onProgress?.(mapping.name, indexed);
        total += indexed;
      }
    }
    // After a bulk load, statistics and the visibility map let counts use the index alone.
    if (total >= BULK_INDEXED) await this.integration.query('VACUUM (ANALYZE) integration.integration_record');
  }

  private async refreshSide(mapping: TableMapping, system: SystemName, limit: number): Promise<number> {
    const connector = this.connectors[system];
    const columns = cursorColumns[system];
    const at = mapping[columns.at] as Date | null;
    const key = mapping[columns.key] as string | null;
    const after: ChangeCursor | null = at && key ? { modifiedAt: at, key } : null;
    const table = connector.table(system === 'erp' ? mapping.erpTable : mapping.crmTable);
    const changes = await connector.changesSince(table, null, { limit, after });
    if (changes.length > 0) await this.index(mapping, system, table, changes);
    return changes.length;
  }

  private async index(mapping: TableMapping, system: SystemName, table: ReturnType<SystemConnector['table']>, records: ObjectLiteral[]): Promise<void> {
    const connector = this.connectors[system];
    const keys = records.map((record) => connector.keyOf(table, record));
    const identities = records.map((record) => identityOf(mapping.name, system, record));
    const filter = system === 'erp' ? mapping.erpFilter : mapping.crmFilter;
    const erpOnly = system === 'erp' ? [identities.map((identity) => identity.number || null)] : [];
    const last = records[records.length - 1]!;
    const [atColumn, keyColumn] = cursorColumns[system].sql;
    await this.integration.transaction(async (manager) => {
      await manager.query(upsertSql[system], [
        mapping.name,
        records.map(() => randomUUID()),
        keys,
        records.map((record) => record.modifiedAt as Date),
        identities.map((identity) => identity.sortKey),
        identities.map((identity) => identity.searchText),
        records.map((record) => matchesFilter(record, filter)),
        ...erpOnly,
      ]);
      // Only ever forward: a concurrent refresh may already have gone further.
      await manager.query(
        `UPDATE integration.table_mapping SET ${atColumn} = $2, ${keyColumn} = $3
          WHERE name = $1 AND (${atColumn} IS NULL OR (${atColumn}, ${keyColumn}) < ($2, $3))`,
        [mapping.name, last.modifiedAt, keys[keys.length - 1]],
      );
    });
  }
}
