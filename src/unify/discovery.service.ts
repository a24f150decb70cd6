import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { ChangeCursor, SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { matchesFilter } from '../connectors/filter-match';
import { lockMappingRecords } from './mapping-records-lock';
import { identityOf } from './record-identity';

/**
 * A row moves to a newer version of its record; a row of the same version whose references were
 * never indexed (written before they were kept) takes them, which is how the catch-up after the
 * migration RecordReferences fills them in.
 */
const upsertSql: Record<SystemName, string> = {
  erp: `
    INSERT INTO integration.integration_record
      (id, mapping_name, erp_id, erp_modified_at, sort_key, erp_search_text, erp_in_scope, erp_refs, erp_code, modified_at, modified_by)
    SELECT id, $1, key, modified_at, sort_key, search_text, in_scope, refs, code, now(), 'discovery'
      FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::varchar[], $6::text[], $7::boolean[], $8::text[], $9::varchar[])
        AS r(id, key, modified_at, sort_key, search_text, in_scope, refs, code)
    ON CONFLICT (mapping_name, erp_id) DO UPDATE
      SET erp_modified_at = excluded.erp_modified_at,
          sort_key = excluded.sort_key,
          erp_search_text = excluded.erp_search_text,
          erp_in_scope = excluded.erp_in_scope,
          erp_refs = excluded.erp_refs,
          erp_code = excluded.erp_code,
          modified_at = excluded.modified_at
      WHERE integration_record.erp_modified_at IS NULL OR integration_record.erp_modified_at < excluded.erp_modified_at
         OR (integration_record.erp_refs IS NULL AND integration_record.erp_modified_at = excluded.erp_modified_at)`,
  crm: `
    INSERT INTO integration.integration_record
      (id, mapping_name, crm_id, crm_modified_at, sort_key, crm_search_text, crm_in_scope, crm_refs, modified_at, modified_by)
    SELECT id, $1, key, modified_at, sort_key, search_text, in_scope, refs, now(), 'discovery'
      FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::varchar[], $6::text[], $7::boolean[], $8::text[])
        AS r(id, key, modified_at, sort_key, search_text, in_scope, refs)
    ON CONFLICT (mapping_name, crm_id) DO UPDATE
      SET crm_modified_at = excluded.crm_modified_at,
          sort_key = CASE WHEN integration_record.erp_id IS NULL THEN excluded.sort_key ELSE integration_record.sort_key END,
          crm_search_text = excluded.crm_search_text,
          crm_in_scope = excluded.crm_in_scope,
          crm_refs = excluded.crm_refs,
          modified_at = excluded.modified_at
      WHERE integration_record.crm_modified_at IS NULL OR integration_record.crm_modified_at < excluded.crm_modified_at
         OR (integration_record.crm_refs IS NULL AND integration_record.crm_modified_at = excluded.crm_modified_at)`,
};

/**
 * The CRM integration user's changes are the engine's own, never synchronised (the seed): a coupled
 * pair whose CRM side only the integration user changed is as synchronised as it was, so the
 * coupling's last-synced CRM modified-at follows the record rather than leave it PENDING forever.
 * A pair never synchronised yet stays PENDING for its first synchronisation.
 */
const acknowledgeIntegrationUserSql = `
  UPDATE integration.integration_record AS link
     SET last_synced_crm_modified_at = r.modified_at
    FROM unnest($2::uuid[], $3::timestamptz[]) AS r(key, modified_at)
   WHERE link.mapping_name = $1 AND link.crm_id = r.key AND link.erp_id IS NOT NULL
     AND link.last_synced_crm_modified_at IS NOT NULL AND link.last_synced_crm_modified_at < r.modified_at`;

const cursorColumns: Record<SystemName, { at: keyof TableMapping; key: keyof TableMapping; sql: [string, string] }> = {
  erp: { at: 'erpDiscoveredAt', key: 'erpDiscoveredKey', sql: ['erp_discovered_at', 'erp_discovered_key'] },
  crm: { at: 'crmDiscoveredAt', key: 'crmDiscoveredKey', sql: ['crm_discovered_at', 'crm_discovered_key'] },
};

/** After indexing this many records at once, statistics and the visibility map are brought up to date. */
const BULK_INDEXED = 10_000;

const SIDES = ['erp', 'crm'] as const;

/** What one refresh of a mapping read from both sides' change feeds. */
export interface MappingRefresh {
  readonly read: number;
  /** A side had a full batch, so more may follow. */
  readonly more: boolean;
}

/**
 * Keeps integration_record knowing every record of a mapped table on each side, so unified lists
 * can page over both systems without joining them. It follows each side's change feed from a
 * cursor (modified-at, key) stored on the table mapping, and moves the cursor in the same
 * transaction as the index rows it covers. Records outside a mapping's filter are indexed too,
 * marked out of scope: references to them still resolve, lists leave them out. Only writers call
 * it (the read-model follower, bulk loads): a read never does.
 *
 * Several processes may refresh the same mapping at once: upserts are idempotent, a row only
 * moves to a newer version of its record (one the sync engine wrote meanwhile is never replaced
 * by an older read), and the cursor only moves forward.
 */
export class DiscoveryService {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
  ) {}

  /**
   * Indexes at most `limit` changed records per side of the mapping, from its current cursor. Both
   * sides are read at once, then written one after the other, so a refresh holds one connection of
   * the integration store at a time.
   */
  async refreshMapping(name: string, limit: number): Promise<MappingRefresh> {
    const mapping = await this.integration.getRepository(TableMapping).findOneByOrFail({ name });
    const changes = await Promise.all(SIDES.map((system) => this.changesOf(mapping, system, limit)));
    for (const [index, system] of SIDES.entries()) if (changes[index]!.length > 0) await this.index(mapping, system, changes[index]!);
    return { read: changes[0]!.length + changes[1]!.length, more: changes.some((records) => records.length === limit) };
  }

  /** Indexes everything not yet indexed, in batches, mapping by mapping: for bulk loads that follow no change feed. */
  async catchUpAll(batchSize = 5_000): Promise<void> {
    let total = 0;
    const mappings = await this.integration.getRepository(TableMapping).find({ order: { sequence: 'ASC' } });
    for (const mapping of mappings) {
      for (let refresh: MappingRefresh | null = null; !refresh || refresh.more;) {
        refresh = await this.refreshMapping(mapping.name, batchSize);
        total += refresh.read;
      }
    }
    await this.settle(total);
  }

  /**
   * At most `limit` records of one side of the mapping that the index has not followed yet: the
   * side's change feed after the mapping's cursor, read as a refresh would read it, indexing nothing.
   */
  async notIndexedYet(name: string, system: SystemName, limit: number): Promise<DomainRecord[]> {
    const mapping = await this.integration.getRepository(TableMapping).findOneByOrFail({ name });
    return this.changesOf(mapping, system, limit);
  }

  /** After a bulk load, statistics and the visibility map let counts use the index alone. */
  async settle(indexed: number): Promise<void> {
    if (indexed >= BULK_INDEXED) await this.integration.query('VACUUM (ANALYZE) integration.integration_record');
  }

  private async changesOf(mapping: TableMapping, system: SystemName, limit: number): Promise<DomainRecord[]> {
    const connector = this.connectors[system];
    const columns = cursorColumns[system];
    const at = mapping[columns.at] as Date | null;
    const key = mapping[columns.key] as string | null;
    const after: ChangeCursor | null = at && key ? { modifiedAt: at, key } : null;
    return connector.changesSince(this.tableOf(mapping, system), null, { limit, after });
  }

  private async integrationUserId(): Promise<string | null> {
    const users = this.connectors.crm.table('system_user');
    const [user] = await this.connectors.crm.getByField(users, 'isIntegrationUser', [true]);
    return user ? this.connectors.crm.keyOf(users, user) : null;
  }

  private tableOf(mapping: TableMapping, system: SystemName) {
    return this.connectors[system].table(system === 'erp' ? mapping.erpTable : mapping.crmTable);
  }

  private async index(mapping: TableMapping, system: SystemName, records: DomainRecord[]): Promise<void> {
    const connector = this.connectors[system];
    const table = this.tableOf(mapping, system);
    const keys = records.map((record) => connector.keyOf(table, record));
    const identities = records.map((record) => identityOf(mapping.name, system, record));
    const filter = system === 'erp' ? mapping.erpFilter : mapping.crmFilter;
    const erpOnly = system === 'erp' ? [identities.map((identity) => identity.number || null)] : [];
    const last = records[records.length - 1]!;
    const [atColumn, keyColumn] = cursorColumns[system].sql;
    const integrationUserId = system === 'crm' ? await this.integrationUserId() : null;
    const byIntegrationUser = integrationUserId === null ? [] : records.filter((record) => record.modifiedBy === integrationUserId);
    await this.integration.transaction(async (manager) => {
      await lockMappingRecords(manager, mapping.name, 'index');
      await manager.query(upsertSql[system], [
        mapping.name,
        records.map(() => randomUUID()),
        keys,
        records.map((record) => record.modifiedAt as Date),
        identities.map((identity) => identity.sortKey),
        identities.map((identity) => identity.searchText),
        records.map((record) => matchesFilter(record, filter)),
        identities.map((identity) => identity.references),
        ...erpOnly,
      ]);
      if (byIntegrationUser.length > 0) {
        await manager.query(acknowledgeIntegrationUserSql, [
          mapping.name,
          byIntegrationUser.map((record) => connector.keyOf(table, record)),
          byIntegrationUser.map((record) => record.modifiedAt as Date),
        ]);
      }
      // Only ever forward: a concurrent refresh may already have gone further.
      await manager.query(
        `UPDATE integration.table_mapping SET ${atColumn} = $2, ${keyColumn} = $3
          WHERE name = $1 AND (${atColumn} IS NULL OR (${atColumn}, ${keyColumn}) < ($2, $3))`,
        [mapping.name, last.modifiedAt, keys[keys.length - 1]],
      );
    });
  }
}
