import type { DataSource } from 'typeorm';
import { LISTED } from '../../../entities/integration/integration-record.entity';
import { SyncDirection } from '../../../entities/integration/sync-direction';
import type { SystemName } from '../../connectors/system-connector';
import { syncStateSql } from '../sync-state';
import type { UnifiedType } from '../unified-types';
import type { ToManyRelation, ToOneRelation } from './compiled-relations';
import type { MergeDirections } from './merge-directions';
import type { RecordSelection } from './record-selection';
import { RecordSet, type RecordColumns } from './record-set';
import { RESOLVED_LINK_COLUMNS, ResolvedRecord } from './resolved-record';
import { resolvedReferencesCurrent } from './resolved-references';
import type { ConnectionEntry, ResponseEntry } from './response-shape';
import { connectionText, inPieces, jsonLiteral, jsonString, leafText, literal, lookupsText, members, textRows, Unwritable } from './response-text';
import { describeTable, type SideTable } from './side-table';

/** json_build_object takes at most 100 arguments. */
const MAX_PAIRS = 50;

/** A timestamp as the DateTimeISO scalar writes the Date pg would parse from it (microseconds cut). */
const iso = (expression: string) => `to_char(${expression} AT TIME ZONE INTERVAL '0', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const COUPLING_COLUMNS: Readonly<Record<string, string>> = {
  erpId: 'erp_id',
  crmId: 'crm_id',
  coupledAt: 'coupled_at',
  lastSyncedAt: 'last_synced_at',
  lastSyncedErpModifiedAt: 'last_synced_erp_modified_at',
  lastSyncedCrmModifiedAt: 'last_synced_crm_modified_at',
  lastResult: 'last_result',
  lastError: 'last_error',
};
const COUPLING_TIMESTAMPS = new Set(['coupledAt', 'lastSyncedAt', 'lastSyncedErpModifiedAt', 'lastSyncedCrmModifiedAt']);

export interface ListFilterSql {
  readonly search: boolean;
  readonly syncState: boolean;
  readonly coupled: boolean | null;
  readonly modifiedSince: boolean;
  readonly after: boolean;
}

/** How a statement writes records: JSON for the schema's resolvers (null), or the response text of these entries. */
type Response = readonly ResponseEntry[] | null;

/** A relation's field in a response: its entries, and whether the schema lets it be null. */
type RelationEntry = Extract<ResponseEntry, { kind: 'object' | 'list' }>;

/** A record's JSON over its set's row, and the joins (of its relations' CTEs) to follow `FROM set`. */
interface RecordJson {
  readonly value: string;
  readonly joins: string;
}

/** The CTEs of one statement, in the order they are met; each is written once every column its set carries is known. */
class Ctes {
  private readonly ctes: Array<{ readonly name: string; readonly write: () => string; readonly materialized: boolean }> = [];
  private count = 0;
  /** Whether the statement's text holds merge directions, and so answers only at their version. */
  private directed = false;

  constructor(private readonly directions: MergeDirections) {}

  name(prefix: string): string {
    return `${prefix}${this.count++}`;
  }

  /**
   * Materialized: each set and relation is read once per statement whatever the planner estimates of the sets it joins.
   * Otherwise PostgreSQL inlines the CTE where one other reads it, without storing its rows (a related set only its JSON reads).
   */
  add(name: string, write: () => string, materialized = true): void {
    this.ctes.push({ name, write, materialized });
  }

  /**
   * The direction of the field mapping between two fields, written into the text as a constant: read in the statement, the
   * mappings' rows were an aggregate and a scan whose plan nodes every execution started and ended.
   */
  direction(mappingName: string, erpField: string, crmField: string): SyncDirection {
    this.directed = true;
    return this.directions.of(mappingName, erpField, crmField);
  }

  /**
   * The statement's `installed` column: whether the table mapping is, or NULL when the field mappings changed since
   * the directions in its text were read (a version read in the statement's own snapshot).
   */
  installed(mappingName: string): string {
    const installed = `EXISTS (SELECT 1 FROM integration.table_mapping WHERE name = ${literal(mappingName)})`;
    if (!this.directed) return installed;
    const version = this.directions.version;
    if (!/^-?\d+$/.test(version)) throw new Error(`not a field mapping version: ${version}`);
    return `CASE WHEN (SELECT v.version FROM integration.field_mapping_version v) = ${version} THEN ${installed} END`;
  }

  with(): string {
    const ctes = this.ctes.map((cte) => `${cte.name} AS ${cte.materialized ? 'MATERIALIZED ' : ''}(${cte.write()})`);
    return ctes.length ? `WITH ${ctes.join(',\n')}\n` : '';
  }
}

/**
 * Writes a selection as one SQL statement over the three stores (only when they are one
 * database) that returns the answer as JSON: each record an object with the fields asked for under
 * their GraphQL names (merged fields, sync state and id worked out by the rules the loader path
 * applies), its related records nested in it. Relations are read set-wise: the records of the
 * page (or lookup) are one CTE, each relation's records for all of them another, found with one
 * join per relation and assembled by key, so PostgreSQL does each relation once per statement, not
 * once per record. Nothing a client sent is written into the text: page sizes are checked integers,
 * values are parameters.
 */
export class ReadStatements {
  private readonly tables = new Map<string, SideTable | null>();

  constructor(
    private readonly stores: Readonly<Record<SystemName, DataSource>>,
    /** The merge directions to write into a statement now. */
    private readonly directions: () => MergeDirections,
  ) {}

  /** Whether every field of the selection (and of its relations) can be read by a compiled statement. */
  covers(selection: RecordSelection): boolean {
    const { type } = selection;
    const erp = this.table(type, 'erp');
    const crm = this.table(type, 'crm');
    if (!erp || !crm) return false;
    const readable = (table: SideTable, properties: readonly string[] | null) => !properties || (properties.length < MAX_PAIRS && properties.every((p) => table.columns.has(p)));
    const merged = selection.merged.every((name) => {
      const [erpField, crmField] = type.merged[name]!;
      return erp.columns.has(erpField) && crm.columns.has(crmField);
    });
    const pairs = 4 + selection.merged.length + selection.relations.length;
    return (
      pairs < MAX_PAIRS &&
      merged &&
      readable(erp, selection.erp) &&
      readable(crm, selection.crm) &&
      selection.relations.every((relation) => this.relationCovered(type, relation.relation, relation.selection.type) && this.covers(relation.selection))
    );
  }

  /** A page: [[sort key, integration record id, record or null (both sides gone)], …], one more than asked for. */
  list(selection: RecordSelection, mappingName: string, limit: number, filter: ListFilterSql): string {
    const { ctes, page, sortKey, id, value, joins } = this.page(selection, mappingName, limit, filter);
    return this.statement(
      ctes,
      mappingName,
      `SELECT coalesce(json_agg(json_build_array(${sortKey}, ${id}, ${value}) ORDER BY ${sortKey}, ${id}), '[]'::json)
      FROM ${page.name} ${joins}`,
    );
  }

  /**
   * A page as the text of its connection's response (see response-text.ts): rows of `installed`
   * (the table mapping is) and `piece` (the text's pieces in order, or one null when graphql-js
   * must write it). Throws Unwritable when part of `response` cannot be written.
   */
  listText(selection: RecordSelection, mappingName: string, limit: number, filter: ListFilterSql, response: readonly ConnectionEntry[]): string {
    const { ctes, page, counted } = this.pageSet(selection, mappingName, limit, filter);
    const node = response.flatMap((entry) => (entry.kind === 'edges' ? entry.edge : [])).find((entry) => entry.kind === 'node');
    const record = this.record(ctes, page, selection, node?.kind === 'node' ? node.entries : []);
    const present = `NOT (${page.erpKey()} IS NULL AND ${page.crmKey()} IS NULL)`;
    const rows = `SELECT ${page.name}.rid AS n, ${page.link('sort_key')} AS k, ${page.link('id')} AS i, ${present} AS present, ${record.value} AS v FROM ${page.name} ${record.joins}`;
    const pieces = inPieces(limit - 1);
    return `${ctes.with()}${textRows(ctes.installed(mappingName), connectionText(rows, limit - 1, filter.after, response, counted, pieces), pieces)}`;
  }

  /** The page's set (one more record than asked for), each record's JSON (null: both sides gone) and the joins it needs. */
  private page(selection: RecordSelection, mappingName: string, limit: number, filter: ListFilterSql) {
    const { ctes, page } = this.pageSet(selection, mappingName, limit, filter);
    const sortKey = page.link('sort_key');
    const id = page.link('id');
    const record = this.record(ctes, page, selection);
    const value = `CASE WHEN ${page.erpKey()} IS NULL AND ${page.crmKey()} IS NULL THEN NULL ELSE ${record.value} END`;
    return { ctes, page, sortKey, id, value, joins: record.joins };
  }

  /** The set of a page's records, one more than asked for, and the statement counting every record the filter matches. */
  private pageSet(selection: RecordSelection, mappingName: string, limit: number, filter: ListFilterSql): { ctes: Ctes; page: RecordSet; counted: string } {
    const conditions = [`r.mapping_name = ${literal(mappingName)}`, `(${LISTED})`];
    let parameter = 0;
    const next = () => `$${(parameter += 1)}`;
    if (filter.search) {
      const search = next();
      conditions.push(`(r.erp_search_text LIKE ${search} OR r.crm_search_text LIKE ${search})`);
    }
    if (filter.syncState) conditions.push(`${syncStateSql('r')} = ${next()}`);
    if (filter.coupled === true) conditions.push('r.erp_id IS NOT NULL AND r.crm_id IS NOT NULL');
    if (filter.coupled === false) conditions.push('(r.erp_id IS NULL OR r.crm_id IS NULL)');
    if (filter.modifiedSince) conditions.push(`GREATEST(r.erp_modified_at, r.crm_modified_at) >= ${next()}`);
    const counted = `SELECT count(*) FROM integration.integration_record r WHERE ${conditions.join(' AND ')}`;
    if (filter.after) conditions.push(`(r.sort_key, r.id) > (${next()}, ${next()}::uuid)`);
    const { erp, crm } = this.sides(selection.type);
    const ctes = new Ctes(this.directions());
    // The page's links are a CTE of their own: the planner then has no statistics of their keys, whereas the table's (nulls,
    // other mappings' rows) made it expect repeated keys among a page's and put a Memoize (all misses) before each side's probe.
    // rid is the record's place on the page, numbered as the index gives the rows (no sort); the CTE carries only the columns read.
    const links = ctes.name('p');
    ctes.add(links, () => {
      const columns = new Set(['sort_key', 'id', 'erp_id', 'crm_id', ...page.linkColumns()]);
      return `SELECT row_number() OVER (ORDER BY r.sort_key, r.id) AS rid, ${[...columns].map((column) => `r.${column}`).join(', ')}
      FROM integration.integration_record r WHERE ${conditions.join(' AND ')} ORDER BY r.sort_key, r.id LIMIT ${limit}`;
    });
    // The sides are probed by key per page row (OFFSET 0 keeps each a probe; a key finds one row, so nothing is cut): joined plainly, a page of
    // 1,000 hashed the whole customer table.
    const page = this.set(
      ctes,
      selection,
      (columns) => `SELECT l.rid, ${columns}
      FROM ${links} l
      LEFT JOIN LATERAL (SELECT * FROM ${erp.name} x WHERE x.${erp.key} = l.erp_id OFFSET 0) e ON true
      LEFT JOIN LATERAL (SELECT * FROM ${crm.name} x WHERE x.${crm.key} = l.crm_id OFFSET 0) c ON true`,
    );
    return { ctes, page, counted };
  }

  /**
   * Records by one side's key, parameters $1 (text[]: erp or crm) and $2 (uuid[]): [[ordinal,
   * record], …] for those that exist on the side their id names.
   */
  lookup(selection: RecordSelection): string {
    const { ctes, found } = this.lookupSet(selection);
    const record = this.record(ctes, found, selection);
    return this.statement(
      ctes,
      selection.type.mappingName,
      `SELECT coalesce(json_agg(json_build_array(${found.name}.rid, ${record.value})), '[]'::json)
      FROM ${found.name} ${record.joins}`,
    );
  }

  /**
   * Records by one side's key as a lookup's answer (see lookupsText), parameters as for `lookup`:
   * rows as for `listText`, in pieces when asked (for more ids than a piece holds). Throws
   * Unwritable when part of `response` cannot be written.
   */
  lookupText(selection: RecordSelection, response: readonly ResponseEntry[], pieces: boolean): string {
    const { ctes, found } = this.lookupSet(selection);
    const record = this.record(ctes, found, selection, response);
    const rows = `SELECT ${found.name}.rid, ${record.value} AS v FROM ${found.name} ${record.joins}`;
    return `${ctes.with()}${textRows(ctes.installed(selection.type.mappingName), lookupsText(rows, 'cardinality($1::text[])', pieces), pieces)}`;
  }

  /** The set of the records found by one side's key, `rid` the ordinal of the key that found each. */
  private lookupSet(selection: RecordSelection): { ctes: Ctes; found: RecordSet } {
    const { type } = selection;
    const { erp, crm } = this.sides(type);
    const mapping = literal(type.mappingName);
    const wanted = (system: SystemName) => `CASE WHEN q.system = '${system}' THEN q.key END`;
    const ctes = new Ctes(this.directions());
    // The condition on the side the id names is one CASE: written as (system = 'erp' AND …) OR (system = 'crm' AND …), PostgreSQL
    // derived a filter on the ids from it, estimated a batch of 1,000 at one record and rescanned each relation per record. The
    // sides are probed by key as a page's are (see pageSet): joined plainly, the plan of a batch's first executions on a connection
    // (custom, before PostgreSQL settles on the generic one) hashed the whole customer table, 100 ms and more each.
    const found = this.set(
      ctes,
      selection,
      (columns) => `SELECT q.ordinal AS rid, ${columns}
      FROM unnest($1::text[], $2::uuid[]) WITH ORDINALITY q(system, key, ordinal)
      LEFT JOIN LATERAL (
        SELECT * FROM integration.integration_record r WHERE r.mapping_name = ${mapping} AND r.erp_id = ${wanted('erp')}
        UNION ALL
        SELECT * FROM integration.integration_record r WHERE r.mapping_name = ${mapping} AND r.crm_id = ${wanted('crm')}
        LIMIT 1) l ON true
      LEFT JOIN LATERAL (SELECT * FROM ${erp.name} x WHERE x.${erp.key} = CASE WHEN l.id IS NULL THEN ${wanted('erp')} ELSE l.erp_id END OFFSET 0) e ON true
      LEFT JOIN LATERAL (SELECT * FROM ${crm.name} x WHERE x.${crm.key} = CASE WHEN l.id IS NULL THEN ${wanted('crm')} ELSE l.crm_id END OFFSET 0) c ON true
      WHERE (CASE q.system WHEN 'erp' THEN e.${erp.key} WHEN 'crm' THEN c.${crm.key} END) IS NOT NULL`,
    );
    return { ctes, found };
  }

  /** [table mapping installed, records]. */
  private statement(ctes: Ctes, mappingName: string, records: string): string {
    return `${ctes.with()}SELECT json_build_array(${ctes.installed(mappingName)}, (${records}))::text AS result`;
  }

  /**
   * A set of records of the selection's type, as the CTE `source` writes it given the columns it must carry; `before`: a
   * CTE the set's own reads from, carrying the same columns. A relation's set is read by its JSON's CTE alone, unless its
   * records have relations of their own.
   */
  private set(
    ctes: Ctes,
    selection: RecordSelection,
    source: (columns: string) => string,
    { before, related = false }: { readonly before?: { readonly name: string; readonly source: (columns: string) => string }; readonly related?: boolean } = {},
  ): RecordSet {
    const { erp, crm } = this.sides(selection.type);
    const name = ctes.name('s');
    const set = new RecordSet(name, selection.type, erp, crm);
    if (before) ctes.add(before.name, () => before.source(set.selectList()));
    ctes.add(name, () => source(set.selectList()), !related || selection.relations.length > 0);
    return set;
  }

  /**
   * The JSON object of a record of `set` (its link columns may be all nulls), and the joins its
   * relations need; with `response`, its response text instead (see recordText).
   */
  private record(ctes: Ctes, set: RecordSet, selection: RecordSelection, response: Response = null): RecordJson {
    if (response) return this.recordText(ctes, set, selection, response);
    const { type } = selection;
    const pairs = [`'typeName', ${literal(type.typeName)}`];
    if (selection.id) pairs.push(`'id', ${this.id(set)}`);
    if (selection.syncState) pairs.push(`'syncState', ${this.syncState(set)}`);
    if (selection.coupling) {
      const fields = selection.coupling.map((field) => {
        const column = set.link(COUPLING_COLUMNS[field]!);
        return `${literal(field)}, ${COUPLING_TIMESTAMPS.has(field) ? iso(column) : column}`;
      });
      pairs.push(`'coupling', CASE WHEN ${set.link('erp_id')} IS NOT NULL AND ${set.link('crm_id')} IS NOT NULL THEN json_build_object(${fields.join(', ')}) END`);
    }
    for (const name of selection.merged) pairs.push(`${literal(name)}, ${this.merged(ctes, set, name)}`);
    if (selection.erp) pairs.push(`'erp', ${this.side(set, 'erp', selection.erp)}`);
    if (selection.crm) pairs.push(`'crm', ${this.side(set, 'crm', selection.crm)}`);
    const joins: string[] = [];
    for (const { field, relation, selection: target } of selection.relations) {
      const related = relation.kind === 'one' ? this.toOne(ctes, set, relation, target) : this.toMany(ctes, set, relation, target);
      pairs.push(`${literal(field)}, ${related.value}`);
      joins.push(related.joins);
    }
    return { value: `json_build_object(${pairs.join(', ')})`, joins: joins.join('\n') };
  }

  /**
   * A record's response text: `response`'s entries in order under their response keys, each
   * value written from the columns as graphql-js and JSON.stringify would write it (see
   * response-text.ts), relations from their own CTEs. Throws Unwritable for an entry it cannot
   * write.
   */
  private recordText(ctes: Ctes, set: RecordColumns, selection: RecordSelection, response: readonly ResponseEntry[]): RecordJson {
    const { type } = selection;
    const joins: string[] = [];
    const pairs = response.map((entry): [string, string] => {
      if (entry.kind === 'typename') return [entry.key, jsonLiteral(entry.typeName)];
      if (entry.kind === 'leaf') {
        if (entry.field === 'id') return [entry.key, jsonString(this.id(set))];
        if (entry.field === 'syncState') return [entry.key, jsonString(this.syncState(set))];
        if (!(entry.field in type.merged)) throw new Unwritable(entry.field);
        return [entry.key, this.merged(ctes, set, entry.field, (system, property) => this.leaf(set, system, property, entry))];
      }
      if (entry.kind === 'object' && (entry.field === 'erp' || entry.field === 'crm' || entry.field === 'coupling')) {
        const system = entry.field;
        const present =
          system === 'coupling' ? `${set.link('erp_id')} IS NOT NULL AND ${set.link('crm_id')} IS NOT NULL` : `${system === 'erp' ? set.erpKey() : set.crmKey()} IS NOT NULL`;
        const fields = entry.entries.map((field): [string, string] => {
          if (field.kind === 'typename') return [field.key, jsonLiteral(field.typeName)];
          if (field.kind !== 'leaf') throw new Unwritable(field.field);
          if (system !== 'coupling') return [field.key, this.leaf(set, system, field.field, field)];
          const column = COUPLING_COLUMNS[field.field];
          if (!column) throw new Unwritable(field.field);
          return [field.key, leafText(set.link(column), COUPLING_TIMESTAMPS.has(field.field) ? 'timestamp' : 'text', field.check, field.nonNull)];
        });
        return [entry.key, `CASE WHEN ${present} THEN ${members(fields)} ELSE ${entry.nonNull ? 'NULL' : `'null'`} END`];
      }
      const related = selection.relations.find((relation) => relation.field === entry.field);
      if (!related || related.relation.kind !== (entry.kind === 'object' ? 'one' : 'many') || !(set instanceof RecordSet)) throw new Unwritable(entry.field);
      const text =
        related.relation.kind === 'one' ? this.toOne(ctes, set, related.relation, related.selection, entry) : this.toMany(ctes, set, related.relation, related.selection, entry);
      joins.push(text.joins);
      return [entry.key, text.value];
    });
    return { value: members(pairs), joins: joins.join('\n') };
  }

  /** encodeUnifiedId: base64url of "Type:side:key", the ERP side's key when there is one. */
  private id(set: RecordColumns): string {
    const raw = `${literal(`${set.type.typeName}:`)} || CASE WHEN ${set.erpKey()} IS NOT NULL THEN 'erp:' || ${set.erpKey()} ELSE 'crm:' || ${set.crmKey()} END`;
    return `translate(encode(convert_to(${raw}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
  }

  private syncState(set: RecordColumns): string {
    return syncStateSql((column) => set.link(column), { erpModifiedAt: set.erpColumn('modified_at'), crmModifiedAt: set.crmColumn('modified_at') });
  }

  /** A side's property as response text for `leaf`. */
  private leaf(set: RecordColumns, system: SystemName, property: string, leaf: ResponseEntry): string {
    const column = set[system].columns.get(property);
    if (!column || leaf.kind !== 'leaf') throw new Unwritable(property);
    return leafText(system === 'erp' ? set.erpColumn(column.column) : set.crmColumn(column.column), column.kind, leaf.check, leaf.nonNull);
  }

  private side(set: RecordColumns, system: SystemName, properties: readonly string[]): string {
    const fields = properties.map((property) => `${literal(property)}, ${this.value(set, system, property)}`);
    return `CASE WHEN ${system === 'erp' ? set.erpKey() : set.crmKey()} IS NULL THEN NULL ELSE json_build_object(${fields.join(', ')}) END`;
  }

  /** A property of one side of `set`'s record, as JSON gives it (timestamps as DateTimeISO strings). */
  private value(set: RecordColumns, system: SystemName, property: string): string {
    const { column, timestamp } = set[system].columns.get(property)!;
    const carried = system === 'erp' ? set.erpColumn(column) : set.crmColumn(column);
    return timestamp ? iso(carried) : carried;
  }

  /** mergeFields: a missing side yields to the other; else the field mapping's owner, or the side changed last (the ERP on a tie). */
  private merged(ctes: Ctes, set: RecordColumns, name: string, write = (system: SystemName, property: string) => `to_json(${this.value(set, system, property)})`): string {
    const { type } = set;
    const [erpField, crmField] = type.merged[name]!;
    const erpValue = write('erp', erpField);
    const crmValue = write('crm', crmField);
    const direction = ctes.direction(type.mappingName, erpField, crmField);
    // Compared to the millisecond, as the loaders compare Dates: trunc(erp) >= trunc(crm) is erp >= trunc(crm) (trunc does not decrease
    // and trunc(trunc(x)) = trunc(x)), one date_trunc fewer per value.
    const erpWins =
      direction === SyncDirection.TO_CRM
        ? 'true'
        : direction === SyncDirection.FROM_CRM
          ? 'false'
          : `${set.erpColumn('modified_at')} >= date_trunc('milliseconds', ${set.crmColumn('modified_at')})`;
    // Each side's value written once: PostgreSQL compiles every branch of the expression at each execution.
    return `CASE WHEN ${set.erpKey()} IS NOT NULL AND (${set.crmKey()} IS NULL OR ${erpWins})
      THEN ${erpValue} ELSE ${crmValue} END`;
  }

  /**
   * `UnifiedRecords.related` for every record of `parent` at once: the distinct ERP codes of those
   * with an ERP side, found by the link (else the ERP record) of that code; the distinct CRM keys
   * of the others, found by the link (else the CRM record) of that key. Each target read once. As
   * response text, a target without relations of its own is read as the write side resolved it.
   */
  private toOne(ctes: Ctes, parent: RecordSet, relation: ToOneRelation, selection: RecordSelection, entry?: RelationEntry): RecordJson {
    const code = `NULLIF(${parent.erpColumn(parent.erp.columns.get(relation.erpRef)!.column)}, '')`;
    const crmRef = parent.crmColumn(parent.crm.columns.get(relation.crmRef)!.column);
    const byCode = `${parent.erpKey()} IS NOT NULL`;
    const reference = (alias: string) => `${alias}.by_code = (${byCode}) AND ${alias}.ref = CASE WHEN ${byCode} THEN ${code} ELSE ${crmRef}::text END`;
    // As text a value may be NULL (not writable), so a missing record is told by its reference.
    const none = entry?.nonNull ? 'NULL' : `'null'`;
    if (entry && !selection.relations.length) {
      const resolved = new ResolvedRecord(ctes.name('r'), selection.type, this.sides(selection.type));
      const record = this.recordText(ctes, resolved, selection, entry.entries);
      // NULL, and so answered through graphql-js, unless the targets are resolved as they stand in this snapshot.
      return {
        value: `CASE WHEN ${resolvedReferencesCurrent(selection.type)} THEN CASE WHEN ${resolved.name}.ref IS NOT NULL THEN ${record.value} ELSE ${none} END END`,
        // Probed by key per record (OFFSET 0 keeps it a probe): joined plainly, the planner hashed every reference of the type.
        joins: `LEFT JOIN LATERAL (SELECT * FROM integration.resolved_reference x WHERE x.target_type = ${literal(selection.type.typeName)} AND ${reference('x')} OFFSET 0) ${resolved.name} ON true`,
      };
    }
    const distinct = (expression: string, side: string) =>
      `SELECT DISTINCT ${expression} AS value FROM ${parent.name} WHERE ${parent.erpKey()} IS ${side} AND ${expression} IS NOT NULL`;
    // rid only for the set's own relations: PostgreSQL numbers the rows even when nothing reads the number.
    const referred = this.set(
      ctes,
      selection,
      (columns) =>
        this.resolution(selection.type, distinct(code, 'NOT NULL'), distinct(crmRef, 'NULL'), `${selection.relations.length ? 'row_number() OVER () AS rid, ' : ''}u.*`, columns),
      { related: true },
    );
    const related = this.related(ctes, referred, selection, 'one', entry);
    return {
      value: entry ? `CASE WHEN ${related}.ref IS NOT NULL THEN ${related}.value ELSE ${none} END` : `${related}.value`,
      joins: `LEFT JOIN ${related} ON ${reference(related)}`,
    };
  }

  /**
   * Every reference to a record of `type` resolved as `toOne` resolves a page's: by each code an
   * ERP record or a link carries, and by each key a CRM record or a link carries. Rows of
   * `integration.resolved_reference` but its type: by_code, ref, and the record's link, ERP row and
   * CRM row as jsonb (null where it has none).
   */
  resolvedReferences(type: UnifiedType): string {
    const { erp, crm } = this.sides(type);
    const mapping = literal(type.mappingName);
    const codeColumn = type.erpCodeField ? erp.columns.get(type.erpCodeField)!.column : null;
    const erpCodes = codeColumn ? `SELECT x.${codeColumn} FROM ${erp.name} x WHERE x.${codeColumn} <> '' UNION ` : '';
    const codes = `${erpCodes}SELECT l.erp_code FROM integration.integration_record l WHERE l.mapping_name = ${mapping} AND l.erp_code <> ''`;
    const keys = `SELECT x.${crm.key} FROM ${crm.name} x UNION SELECT l.crm_id FROM integration.integration_record l WHERE l.mapping_name = ${mapping} AND l.crm_id IS NOT NULL`;
    const link = `CASE WHEN l.id IS NOT NULL THEN jsonb_build_object(${RESOLVED_LINK_COLUMNS.map((column) => `'${column}', l.${column}`).join(', ')}) END`;
    const side = (alias: string, table: SideTable) => `CASE WHEN ${alias}.${table.key} IS NOT NULL THEN to_jsonb(${alias}) END`;
    return this.resolution(type, codes, keys, 'u.by_code, u.ref, u.link, u.erp, u.crm', `${link} AS link, ${side('e', erp)} AS erp, ${side('c', crm)} AS crm`);
  }

  /**
   * The records of `type` that `codes` and `keys` (queries of one column) refer to, the first per reference, as `select`
   * over the rows (`u`) that carry `columns` of each reference's link (`l`), ERP row (`e`) and CRM row (`c`).
   */
  private resolution(type: UnifiedType, codes: string, keys: string, select: string, columns: string): string {
    const { erp, crm } = this.sides(type);
    const mapping = literal(type.mappingName);
    const codeColumn = type.erpCodeField ? erp.columns.get(type.erpCodeField)!.column : null;
    const erpByCode = codeColumn ? `(SELECT x.${erp.key} FROM ${erp.name} x WHERE x.${codeColumn} = ref.value ORDER BY x.${erp.key} LIMIT 1)` : 'NULL::uuid';
    const found = `WHERE e.${erp.key} IS NOT NULL OR c.${crm.key} IS NOT NULL`;
    // One set for both ways of referring (by_code tells them apart), so a page whose records all have an ERP side does not
    // set up, scan and join a second, empty one. The link by code is joined plainly, one index probe per code (not joined
    // laterally: the planner then hashed the CRM side's table once per code). A code is one record's, but a stale link may
    // still carry it: the code's first link by id is kept. By CRM key, the CRM record is the one of that key whether a link
    // (found by it) exists or not.
    return `SELECT DISTINCT ON (u.by_code, u.ref) ${select} FROM (
        SELECT true AS by_code, ref.value AS ref, l.id AS link_id, ${columns}
          FROM (${codes}) ref(value)
          LEFT JOIN integration.integration_record l ON l.mapping_name = ${mapping} AND l.erp_code = ref.value
          LEFT JOIN ${erp.name} e ON e.${erp.key} = CASE WHEN l.id IS NULL THEN ${erpByCode} ELSE l.erp_id END
          LEFT JOIN ${crm.name} c ON c.${crm.key} = l.crm_id
          ${found}
        UNION ALL
        SELECT false, ref.value::text, l.id, ${columns}
          FROM (${keys}) ref(value)
          LEFT JOIN integration.integration_record l ON l.mapping_name = ${mapping} AND l.crm_id = ref.value
          LEFT JOIN ${erp.name} e ON e.${erp.key} = l.erp_id
          LEFT JOIN ${crm.name} c ON c.${crm.key} = ref.value
          ${found}
      ) u ORDER BY u.by_code, u.ref, u.link_id`;
  }

  /**
   * `UnifiedRecords.relatedMany` for every record of `parent` at once: per parent, ERP records,
   * then CRM records, each unified record once (the first).
   */
  private toMany(ctes: Ctes, parent: RecordSet, relation: ToManyRelation, selection: RecordSelection, entry?: RelationEntry): RecordJson {
    const { erp, crm } = this.sides(selection.type);
    const mapping = literal(selection.type.mappingName);
    const column = (table: SideTable, property: string) => table.columns.get(property)!.column;
    const erpField = `e.${column(erp, relation.erp.field)}`;
    const { through } = relation.erp;
    const erpRecords = through
      ? `JOIN ${erp.name} via ON via.${column(erp, through.field)} = ${parent.erpColumn(column(parent.erp, through.parentField))} AND via.${column(erp, relation.erp.parentField)} <> ''
         JOIN ${erp.name} e ON ${erpField} = via.${column(erp, relation.erp.parentField)}`
      : `JOIN ${erp.name} e ON ${erpField} = ${parent.erpColumn(column(parent.erp, relation.erp.parentField))}`;
    const crmKey = parent.crmKey();
    const erpKey = `e.${erp.key}`;
    const firstKey = through ? `via.${erp.key}` : erpKey;

    // The ERP records first (a record reached through two intermediaries once, by the first), then
    // the CRM records not already there as the CRM side of one of them: those are told from the
    // ERP rows' CRM keys, so only the others are looked up through their link.
    const erpRows = {
      name: ctes.name('s'),
      source: (
        columns: string,
      ) => `SELECT ${through ? `DISTINCT ON (${parent.name}.rid, ${erpKey}) ` : ''}${parent.name}.rid AS parent_rid, 0 AS source, ${firstKey} AS first_key, ${columns}
          FROM ${parent.name} ${erpRecords}
          LEFT JOIN integration.integration_record l ON l.mapping_name = ${mapping} AND l.erp_id = ${erpKey}
          LEFT JOIN ${crm.name} c ON c.${crm.key} = l.crm_id
          ${through ? `ORDER BY ${parent.name}.rid, ${erpKey}, ${firstKey}` : ''}`,
    };
    const records = this.set(
      ctes,
      selection,
      (columns) => `SELECT ${selection.relations.length ? 'row_number() OVER () AS rid, ' : ''}u.* FROM (
        SELECT * FROM ${erpRows.name}
        UNION ALL
        SELECT c.parent_rid, 1, c.${crm.key}, ${columns}
          FROM (SELECT ${parent.name}.rid AS parent_rid, k.* FROM ${parent.name} JOIN ${crm.name} k ON k.${column(crm, relation.crm.field)} = ${crmKey}
                 WHERE NOT EXISTS (SELECT 1 FROM ${erpRows.name} x WHERE x.parent_rid = ${parent.name}.rid AND x.c_${crm.key} = k.${crm.key})) c
          LEFT JOIN integration.integration_record l ON l.mapping_name = ${mapping} AND l.crm_id = c.${crm.key}
          LEFT JOIN ${erp.name} e ON e.${erp.key} = l.erp_id
      ) u`,
      { before: erpRows, related: true },
    );
    const related = this.related(ctes, records, selection, 'many', entry);
    const none = entry ? `CASE WHEN ${related}.parent_rid IS NULL THEN '[]' ELSE ${related}.value END` : `coalesce(${related}.value, '[]'::json)`;
    return { value: none, joins: `LEFT JOIN ${related} ON ${related}.parent_rid = ${parent.name}.rid` };
  }

  /**
   * A CTE of the JSON of `set`'s records: by `ref` (one record per reference), or as a list per
   * `parent_rid` in the order `UnifiedRecords.relatedMany` gives them.
   */
  private related(ctes: Ctes, set: RecordSet, selection: RecordSelection, kind: 'one' | 'many', entry?: RelationEntry): string {
    const record = this.record(ctes, set, selection, entry?.entries ?? null);
    const name = ctes.name('j');
    const s = set.name;
    // A list's items: ERP records by intermediary, then by their key; CRM records by their key (first_key; one item each).
    const order = `${s}.source, ${s}.first_key, ${set.erpKey()}`;
    if (kind === 'one') ctes.add(name, () => `SELECT ${s}.by_code, ${s}.ref, ${record.value} AS value FROM ${s} ${record.joins}`);
    else if (!entry) ctes.add(name, () => `SELECT ${s}.parent_rid, json_agg(${record.value} ORDER BY ${order}) AS value FROM ${s} ${record.joins} GROUP BY ${s}.parent_rid`);
    else {
      // A list is written only when every item is (OFFSET 0: each item's text is worked out once, not once per aggregate).
      // The items are sorted once, by list and then in each list's order, and each list aggregates them in the order they
      // come (the sorted subquery stays a level of its own): an ORDER BY in the aggregate sets up a sort for every list.
      ctes.add(
        name,
        () => `SELECT parent_rid, CASE WHEN count(*) = count(t) THEN '[' || string_agg(t, ',') || ']' END AS value
          FROM (SELECT ${s}.parent_rid, ${order}, ${record.value} AS t FROM ${s} ${record.joins} ORDER BY ${s}.parent_rid, ${order} OFFSET 0) items GROUP BY parent_rid`,
      );
    }
    return name;
  }

  private sides(type: UnifiedType): { erp: SideTable; crm: SideTable } {
    return { erp: this.table(type, 'erp')!, crm: this.table(type, 'crm')! };
  }

  private relationCovered(parent: UnifiedType, relation: ToOneRelation | ToManyRelation, target: UnifiedType): boolean {
    const parentErp = this.table(parent, 'erp');
    const parentCrm = this.table(parent, 'crm');
    const erp = this.table(target, 'erp');
    const crm = this.table(target, 'crm');
    if (!parentErp || !parentCrm || !erp || !crm) return false;
    if (relation.kind === 'one') {
      return parentErp.columns.has(relation.erpRef) && parentCrm.columns.has(relation.crmRef) && (target.erpCodeField === null || erp.columns.has(target.erpCodeField));
    }
    const { field, parentField, through } = relation.erp;
    if (!erp.columns.has(field) || !crm.columns.has(relation.crm.field)) return false;
    return through ? erp.columns.has(parentField) && erp.columns.has(through.field) && parentErp.columns.has(through.parentField) : parentErp.columns.has(parentField);
  }

  private table(type: UnifiedType, system: SystemName): SideTable | null {
    const id = `${system}:${type.typeName}`;
    if (!this.tables.has(id)) this.tables.set(id, describeTable(this.stores[system], system === 'erp' ? type.erpTable : type.crmTable));
    return this.tables.get(id)!;
  }
}
