import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { IntegrationRecord, SyncResult } from '../../../entities/integration/integration-record.entity';
import { SyncDirection } from '../../../entities/integration/sync-direction';
import type { SystemName } from '../../connectors/system-connector';
import { storeUrl, type Stores } from '../../db/data-sources';
import { erpChangedLast, mergeDirection, mergedValue } from '../field-merge';
import { deriveSyncState } from '../sync-state';
import { encodeUnifiedId, type UnifiedIdParts } from '../unified-id';
import { encodeCursor, notInstalled, pagePosition, searchPattern, type PageArgs, type UnifiedListService } from '../unified-list.service';
import type { UnifiedConnection } from '../unified-records';
import type { UnifiedRecord } from '../unified-record';
import { ReadStatements, type SideColumns } from './read-statement';
import type { RecordSelection } from './record-selection';

/** Where a compiled read leaves a record's related records for its field resolvers. */
const PRELOADED = Symbol('preloaded relations');

type Preloaded = Record<string, UnifiedRecord | UnifiedRecord[] | null>;

/** A related record (or list) a compiled read already holds, or undefined when the loaders must find it. */
export function preloadedRelation(record: object, field: string): UnifiedRecord | UnifiedRecord[] | null | undefined {
  return (record as { [PRELOADED]?: Preloaded })[PRELOADED]?.[field];
}

/** How to turn a selection's JSON arrays back into unified records. */
interface Decoder {
  readonly selection: RecordSelection;
  readonly erp: SideColumns;
  readonly crm: SideColumns;
  readonly relations: ReadonlyArray<{ readonly field: string; readonly many: boolean; readonly decoder: Decoder }>;
}

interface Statement {
  readonly name: string;
  readonly text: string;
  readonly decoder: Decoder;
}

type Row = unknown[];
type FieldRule = [mapping: string, erpField: string | null, crmField: string, direction: SyncDirection];

const date = (ms: unknown) => (ms === null ? null : new Date(ms as number));

/**
 * Reads what a query selects of unified records in one statement, when the ERP, the CRM and the
 * integration store are one database: the page (or the looked-up records), both sides' selected
 * columns, the links, and the related records the selection names, returned as JSON and turned
 * into the very records the loader path builds. Field resolvers find related records in place.
 */
export class CompiledReads {
  private readonly statements = new Map<string, Statement | null>();
  private readonly sql: ReadStatements;
  private readonly pool: Pool;

  constructor(
    private readonly stores: Stores,
    private readonly lists: UnifiedListService,
  ) {
    this.sql = new ReadStatements({ erp: stores.erp, crm: stores.crm });
    this.pool = (stores.integration.driver as unknown as { master: Pool }).master;
  }

  /** Compiled reads need the three stores in one database; separate ones are read through the loaders. */
  static available(stores: Stores): boolean {
    const url = storeUrl(stores.integration);
    return storeUrl(stores.erp) === url && storeUrl(stores.crm) === url;
  }

  private readonly coverage = new WeakMap<RecordSelection, boolean>();

  /** Whether a selection can be read in one statement. */
  covers(selection: RecordSelection): boolean {
    let covered = this.coverage.get(selection);
    if (covered === undefined) {
      covered = this.sql.covers(selection);
      this.coverage.set(selection, covered);
    }
    return covered;
  }

  async list(selection: RecordSelection, args: PageArgs): Promise<UnifiedConnection> {
    const after = pagePosition(args);
    const filter = args.filter ?? {};
    const { type } = selection;
    const statement = this.statement(`list:${args.first + 1}:${Boolean(filter.search)}${Boolean(filter.syncState)}${filter.coupled ?? ''}${Boolean(filter.modifiedSince)}${Boolean(after)}:${selection.signature}`, selection, () =>
      this.sql.list(selection, type.mappingName, args.first + 1, {
        search: Boolean(filter.search),
        syncState: Boolean(filter.syncState),
        coupled: filter.coupled ?? null,
        modifiedSince: Boolean(filter.modifiedSince),
        after: Boolean(after),
      }),
    );
    const values: unknown[] = [];
    if (filter.search) values.push(searchPattern(filter.search));
    if (filter.syncState) values.push(filter.syncState);
    if (filter.modifiedSince) values.push(filter.modifiedSince);
    if (after) values.push(after[0], after[1]);
    const [installed, rules, rows] = await this.run(statement, values);
    if (!installed) throw notInstalled(type);
    const merge = new MergeRules(rules as FieldRule[]);
    const links = (rows as Row[]).slice(0, args.first);
    const edges: Array<{ node: UnifiedRecord; cursor: string }> = [];
    const cursors: string[] = [];
    for (const row of links) {
      const link = row[0] as Row;
      const cursor = encodeCursor(link[9] as string, link[0] as string);
      cursors.push(cursor);
      const node = this.decode(statement.decoder, row, merge);
      if (node) edges.push({ node, cursor });
    }
    const lists = this.lists;
    return {
      edges,
      get totalCount() {
        return lists.count(type, args.filter);
      },
      pageInfo: {
        hasNextPage: (rows as Row[]).length > args.first,
        hasPreviousPage: Boolean(args.after),
        startCursor: cursors[0] ?? null,
        endCursor: cursors[cursors.length - 1] ?? null,
      },
    };
  }

  /** Records by id, in order; null for one that no longer exists on the side its id names. */
  async lookup(selection: RecordSelection, ids: readonly UnifiedIdParts[]): Promise<Array<UnifiedRecord | null>> {
    const statement = this.statement(`one:${selection.signature}`, selection, () => this.sql.lookup(selection));
    const [installed, rules, rows] = await this.run(statement, [ids.map((id) => id.system), ids.map((id) => id.key)]);
    if (!installed) throw notInstalled(selection.type);
    const merge = new MergeRules(rules as FieldRule[]);
    const found: Array<UnifiedRecord | null> = ids.map(() => null);
    for (const [ordinal, row] of rows as Array<[number, Row]>) found[ordinal - 1] = this.decode(statement.decoder, row, merge);
    return found;
  }

  private statement(key: string, selection: RecordSelection, write: () => string): Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      const text = write();
      statement = { name: `unified_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text, decoder: this.decoder(selection) };
      this.statements.set(key, statement);
    }
    return statement;
  }

  private decoder(selection: RecordSelection): Decoder {
    const side = (system: SystemName) => this.sql.sideColumns(selection.type, system, system === 'erp' ? selection.erp : selection.crm)!;
    return {
      selection,
      erp: side('erp'),
      crm: side('crm'),
      relations: selection.relations.map((relation) => ({ field: relation.field, many: relation.relation.kind === 'many', decoder: this.decoder(relation.selection) })),
    };
  }

  private async run(statement: Statement, values: unknown[]): Promise<[boolean, unknown[], unknown[]]> {
    this.stores.counters.integration.logQuery(statement.text, values);
    const result = await this.pool.query<{ result: string }>({ name: statement.name, text: statement.text, values });
    return JSON.parse(result.rows[0]!.result) as [boolean, unknown[], unknown[]];
  }

  private decode(decoder: Decoder, row: Row, merge: MergeRules): UnifiedRecord | null {
    const [linkRow, erpRow, crmRow] = row as [Row | null, Row | null, Row | null];
    if (!erpRow && !crmRow) return null;
    const { type } = decoder.selection;
    const erp = erpRow ? side(decoder.erp, erpRow) : null;
    const crm = crmRow ? side(decoder.crm, crmRow) : null;
    const link = linkRow ? toLink(type.mappingName, linkRow) : null;
    const coupled = link !== null && link.erpId !== null && link.crmId !== null;
    const record: Record<string | symbol, unknown> = {
      id: encodeUnifiedId(erp ? { typeName: type.typeName, system: 'erp', key: erpRow![0] as string } : { typeName: type.typeName, system: 'crm', key: crmRow![0] as string }),
      typeName: type.typeName,
      mappingName: type.mappingName,
      erp,
      crm,
      link,
      coupling: coupled ? link : null,
      syncState: deriveSyncState(link, (erp?.modifiedAt as Date | undefined) ?? null, (crm?.modifiedAt as Date | undefined) ?? null),
    };
    if (decoder.selection.merged.length > 0) {
      const erpIsNewer = erpChangedLast(erp, crm);
      for (const name of decoder.selection.merged) {
        const [erpField, crmField] = type.merged[name]!;
        const direction = erp && crm ? merge.direction(type.mappingName, erpField, crmField) : SyncDirection.TO_CRM;
        record[name] = mergedValue(direction, erp?.[erpField] ?? null, crm?.[crmField] ?? null, erp !== null, crm !== null, erpIsNewer);
      }
    }
    if (decoder.relations.length > 0) {
      const preloaded: Preloaded = {};
      decoder.relations.forEach((relation, index) => {
        const value = row[3 + index];
        preloaded[relation.field] = relation.many
          ? (value as Row[]).map((related) => this.decode(relation.decoder, related, merge)!)
          : value
            ? this.decode(relation.decoder, value as Row, merge)
            : null;
      });
      record[PRELOADED] = preloaded;
    }
    return record as unknown as UnifiedRecord;
  }
}

/** The field mappings a statement returned, looked up once per merged field. */
class MergeRules {
  private readonly byMapping = new Map<string, Array<{ enabled: boolean; erpField: string | null; crmField: string; direction: SyncDirection }>>();
  private readonly directions = new Map<string, SyncDirection>();

  constructor(rules: readonly FieldRule[]) {
    for (const [mapping, erpField, crmField, direction] of rules) {
      const list = this.byMapping.get(mapping);
      const rule = { enabled: true, erpField, crmField, direction };
      if (list) list.push(rule);
      else this.byMapping.set(mapping, [rule]);
    }
  }

  direction(mapping: string, erpField: string, crmField: string): SyncDirection {
    const key = `${mapping}\u0000${erpField}\u0000${crmField}`;
    let direction = this.directions.get(key);
    if (direction === undefined) {
      direction = mergeDirection(this.byMapping.get(mapping) ?? [], erpField, crmField);
      this.directions.set(key, direction);
    }
    return direction;
  }
}

function side(columns: SideColumns, row: Row): Record<string, unknown> {
  const record: Record<string, unknown> = { [columns.keyProperty]: row[0], modifiedAt: new Date(row[1] as number) };
  const { properties, kinds } = columns;
  for (let i = 0; i < properties.length; i += 1) {
    const value = row[i + 2];
    record[properties[i]!] = kinds[i] === 'timestamp' ? date(value) : value;
  }
  return record;
}

function toLink(mappingName: string, row: Row): IntegrationRecord {
  return {
    id: row[0] as string,
    mappingName,
    erpId: row[1] as string | null,
    crmId: row[2] as string | null,
    lastResult: row[3] as SyncResult | null,
    lastSyncedErpModifiedAt: date(row[4]),
    lastSyncedCrmModifiedAt: date(row[5]),
    coupledAt: date(row[6]),
    lastSyncedAt: date(row[7]),
    lastError: row[8] as string | null,
    sortKey: row[9] as string,
  } as IntegrationRecord;
}
