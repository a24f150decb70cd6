import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import type { ConnectionSetup } from '../../entities/integration/connection-setup.entity';
import { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import { OptionCoupling } from '../../entities/integration/option-coupling.entity';
import { OptionMapping } from '../../entities/integration/option-mapping.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { TextRows, type TextRow } from '../db/text-rows';
import { readConnectionSetup } from '../setup/connection-setup.service';
import type { BatchWaves } from './batch-waves';
import { relatedLinksSql, relatedRows, type RelatedLinks } from './related-links';

export interface RecordCounts {
  readonly coupled: number;
  readonly failed: number;
  readonly skipped: number;
}

/** A statement as SQL with its positional parameters ($1…). */
export interface SqlStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** A count, its one column `cnt`. */
export type CountStatement = SqlStatement;

/** What a page's statement read: the page's rows in order, each lookup's links (see RelatedLinks), the count if asked for. */
export interface PageRead {
  readonly rows: IntegrationRecord[];
  readonly related: IntegrationRecord[][];
  readonly total: number | null;
}

/** How a link is looked up: by one side's key, or by the ERP record's code or No. */
export type LinkKey = `erp:${string}` | `crm:${string}` | `code:${string}`;

export const linkKey = {
  erp: (id: string): LinkKey => `erp:${id}`,
  crm: (id: string): LinkKey => `crm:${id}`,
  code: (code: string): LinkKey => `code:${code}`,
};

/** The integration store's rows for one request: mappings, and integration records (links). */
export class IntegrationLoaders {
  private readonly links = new Map<string, DataLoader<LinkKey, IntegrationRecord | null>>();
  private readonly allFieldMappings: DataLoader<'all', FieldMapping[]>;
  private readonly linkRows: TextRows;
  private readonly fieldMappingRows: TextRows;

  readonly tableMapping: DataLoader<string, TableMapping | null>;
  /** Per table mapping: how many records are coupled, failed (or in conflict) and skipped. */
  readonly recordCounts: DataLoader<string, RecordCounts>;
  readonly optionMapping: DataLoader<string, OptionMapping | null>;
  readonly optionCouplings: DataLoader<string, OptionCoupling[]>;
  /** The connection setup's feature flags (one row), read once per request. */
  readonly connectionSetup: DataLoader<'setup', ConnectionSetup>;

  constructor(
    private readonly integration: DataSource,
    private readonly waves: BatchWaves,
  ) {
    const options = { batchScheduleFn: waves.schedule };
    this.linkRows = new TextRows(integration.getMetadata(IntegrationRecord));
    this.fieldMappingRows = new TextRows(integration.getMetadata(FieldMapping));
    this.tableMapping = new DataLoader(
      waves.track(async (names) => {
        const rows = await integration.getRepository(TableMapping).findBy({ name: In([...names]) });
        return names.map((name) => rows.find((row) => row.name === name) ?? null);
      }),
      options,
    );
    this.recordCounts = new DataLoader(
      waves.track(async (names) => {
        const rows: Array<{ mapping_name: string; coupled: number; failed: number; skipped: number }> = await integration.query(
          `SELECT mapping_name,
                  count(*) FILTER (WHERE erp_id IS NOT NULL AND crm_id IS NOT NULL)::int AS coupled,
                  count(*) FILTER (WHERE last_result IN ('FAILED', 'CONFLICT'))::int AS failed,
                  count(*) FILTER (WHERE last_result = 'SKIPPED')::int AS skipped
             FROM integration.integration_record WHERE mapping_name = ANY($1) GROUP BY mapping_name`,
          [names],
        );
        return names.map((name) => {
          const row = rows.find((r) => r.mapping_name === name);
          return { coupled: row?.coupled ?? 0, failed: row?.failed ?? 0, skipped: row?.skipped ?? 0 };
        });
      }),
      options,
    );
    this.optionMapping = new DataLoader(
      waves.track(async (names) => {
        const rows = await integration.getRepository(OptionMapping).findBy({ name: In([...names]) });
        return names.map((name) => rows.find((row) => row.name === name) ?? null);
      }),
      options,
    );
    this.optionCouplings = new DataLoader(
      waves.track(async (names) => {
        const rows = await integration.getRepository(OptionCoupling).find({ where: { optionMappingName: In([...names]) }, order: { erpCode: 'ASC' } });
        return names.map((name) => rows.filter((row) => row.optionMappingName === name));
      }),
      options,
    );
    this.connectionSetup = new DataLoader(
      waves.track(async (keys) => {
        const setup = await readConnectionSetup(integration);
        return keys.map(() => setup);
      }),
      options,
    );
    // All of them at once: a few hundred small rows, and one statement however many mappings a request touches.
    this.allFieldMappings = new DataLoader(
      waves.track(async (keys) => {
        const rows = await integration.getRepository(FieldMapping).find({ order: { tableMappingName: 'ASC', sequence: 'ASC' } });
        return keys.map(() => rows);
      }),
      options,
    );
  }

  private readonly fieldMappingsByTable = new Map<string, FieldMapping[]>();

  async fieldMappings(mappingName: string): Promise<FieldMapping[]> {
    const all = await this.allFieldMappings.load('all');
    let rows = this.fieldMappingsByTable.get(mappingName);
    if (!rows) {
      rows = all.filter((row) => row.tableMappingName === mappingName);
      this.fieldMappingsByTable.set(mappingName, rows);
    }
    return rows;
  }

  /**
   * A mapping's integration records by ERP key, CRM key or ERP code, whichever a caller has: one
   * loader per mapping, so every way of reaching a record lands in the same statement.
   */
  link(mappingName: string): DataLoader<LinkKey, IntegrationRecord | null> {
    let loader = this.links.get(mappingName);
    if (!loader) {
      loader = new DataLoader(
        this.waves.track(async (keys) => {
          const rows = await this.integration
            .getRepository(IntegrationRecord)
            .createQueryBuilder('r')
            .where('r.mapping_name = :mappingName', { mappingName })
            .andWhere(linkByKeys(':erp', ':crm', ':code'), splitKeys(keys))
            .getMany();
          const found = foundByKey(rows);
          return keys.map((key) => found.get(key) ?? null);
        }),
        { batchScheduleFn: this.waves.schedule },
      );
      this.links.set(mappingName, loader);
    }
    return loader;
  }

  /**
   * Reads a page in one statement: its rows (`page`, every column of the table aliased `r`, in
   * list order), the links each lookup finds by the index's references, the field mappings every
   * record is built with (primed), and with `count`, its result (a list's totalCount).
   */
  async readPage(page: SqlStatement, lookups: readonly RelatedLinks[], count: CountStatement | null): Promise<PageRead> {
    // The page's own parameters come first, so its text is sent as it is; the count's placeholders follow them.
    const parameters: unknown[] = [...page.parameters];
    const related = relatedLinksSql(lookups, (value) => `$${parameters.push(value)}`);
    const countSql = count ? renumbered(count.sql, parameters.length) : null;
    if (count) parameters.push(...count.parameters);
    const [row]: Array<{ page: TextRow[]; related: TextRow[][]; field_mappings: TextRow[]; total: number | null }> = await this.integration.query(
      `WITH page_rows AS (${page.sql})${related.map((lookup) => `,\n ${lookup}`).join('')}
       SELECT (SELECT coalesce(json_agg(${this.linkRows.row} ORDER BY r.sort_key, r.id), '[]') FROM page_rows r) AS page,
              json_build_array(${lookups.map((_, index) => `(SELECT coalesce(json_agg(${this.linkRows.row}), '[]') FROM ${relatedRows(index)} r)`).join(', ')}) AS related,
              ${this.fieldMappingsSql} AS field_mappings,
              ${countSql ? `(SELECT counted.cnt::int FROM (${countSql}) counted)` : 'NULL::int'} AS total`,
      parameters,
    );
    this.primeFieldMappings(row!.field_mappings);
    return {
      rows: this.linkRows.entities<IntegrationRecord>(this.integration, row!.page),
      related: row!.related.map((rows) => this.linkRows.entities<IntegrationRecord>(this.integration, rows)),
      total: row!.total,
    };
  }

  /**
   * Reads, in one statement, the links of several mappings by the given keys and the field
   * mappings every record is built with, and primes their loaders (null for a key no link has):
   * what loading them one mapping at a time would have given. A key already loaded keeps what it had.
   * With `count`, its result too (a list's totalCount), which is returned.
   */
  async readAhead(wanted: ReadonlyMap<string, readonly LinkKey[]>, count: CountStatement | null): Promise<number | null> {
    // The count's own parameters come first, so its text is sent as it is.
    const parameters: unknown[] = [...(count?.parameters ?? [])];
    const conditions = [...wanted].flatMap(([mappingName, keys]) => {
      if (keys.length === 0) return [];
      const { erp, crm, code } = splitKeys(keys);
      const [mapping, erpKeys, crmKeys, codes] = [mappingName, erp, crm, code].map((value) => `$${parameters.push(value)}`);
      return [`(r.mapping_name = ${mapping} AND ${linkByKeys(erpKeys!, crmKeys!, codes!)})`];
    });
    const [row]: Array<{ links: TextRow[]; field_mappings: TextRow[]; total: number | null }> = await this.integration.query(
      `SELECT (SELECT coalesce(json_agg(${this.linkRows.row}), '[]') FROM integration.integration_record r WHERE ${conditions.join(' OR ') || 'false'}) AS links,
              ${this.fieldMappingsSql} AS field_mappings,
              ${count ? `(SELECT counted.cnt::int FROM (${count.sql}) counted)` : 'NULL::int'} AS total`,
      parameters,
    );
    this.primeFieldMappings(row!.field_mappings);
    const links = this.linkRows.entities<IntegrationRecord>(this.integration, row!.links);
    for (const [mappingName, keys] of wanted) this.primeLinks(mappingName, keys, links);
    return row!.total;
  }

  /**
   * Primes a mapping's link loader for `keys` with the links among `rows` that each key finds, null
   * for a key none of them has: for keys looked up by a statement that read every link they find.
   */
  primeLinks(mappingName: string, keys: Iterable<LinkKey>, rows: readonly IntegrationRecord[]): void {
    const found = foundByKey(rows.filter((link) => link.mappingName === mappingName));
    const loader = this.link(mappingName);
    for (const key of keys) loader.prime(key, found.get(key) ?? null);
  }

  private get fieldMappingsSql(): string {
    return `(SELECT coalesce(json_agg(${this.fieldMappingRows.row} ORDER BY r.table_mapping_name, r.sequence), '[]') FROM integration.field_mapping r)`;
  }

  private primeFieldMappings(rows: readonly TextRow[]): void {
    this.allFieldMappings.prime('all', this.fieldMappingRows.entities<FieldMapping>(this.integration, rows));
  }

  /** Primes the link loader with a row a list query already returned. */
  prime(record: IntegrationRecord): void {
    const loader = this.link(record.mappingName);
    for (const key of keysOf(record)) loader.prime(key, record);
  }
}

/** A statement's text with its placeholders moved `by` places on ($1 becomes $3 after two others), to follow another's. */
function renumbered(sql: string, by: number): string {
  return sql.replace(/\$(\d+)/g, (_, position: string) => `$${Number(position) + by}`);
}

/** The condition on a link (aliased `r`) that finds it by any of the keys the three parameters hold (see splitKeys). */
function linkByKeys(erp: string, crm: string, code: string): string {
  return `(r.erp_id = ANY(${erp}::uuid[]) OR r.crm_id = ANY(${crm}::uuid[]) OR r.erp_code = ANY(${code}::varchar[]))`;
}

/** Link keys by kind, without their prefixes. */
function splitKeys(keys: readonly LinkKey[]): { erp: string[]; crm: string[]; code: string[] } {
  const split = { erp: [] as string[], crm: [] as string[], code: [] as string[] };
  for (const key of keys) {
    const separator = key.indexOf(':');
    split[key.slice(0, separator) as keyof typeof split].push(key.slice(separator + 1));
  }
  return split;
}

function foundByKey(rows: readonly IntegrationRecord[]): Map<LinkKey, IntegrationRecord> {
  const found = new Map<LinkKey, IntegrationRecord>();
  for (const row of rows) for (const key of keysOf(row)) found.set(key, row);
  return found;
}

function keysOf(record: IntegrationRecord): LinkKey[] {
  const keys: LinkKey[] = [];
  if (record.erpId) keys.push(linkKey.erp(record.erpId));
  if (record.crmId) keys.push(linkKey.crm(record.crmId));
  if (record.erpCode) keys.push(linkKey.code(record.erpCode));
  return keys;
}
