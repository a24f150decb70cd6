import type { DataSource, EntityMetadata } from 'typeorm';
import { LISTED } from '../../../entities/integration/integration-record.entity';
import type { SystemName } from '../../connectors/system-connector';
import { syncStateSql } from '../sync-state';
import type { UnifiedType } from '../unified-types';
import type { ToManyRelation, ToOneRelation } from './compiled-relations';
import type { RecordSelection } from './record-selection';

/** One side's table as a compiled read sees it: every column under its property name, as SQL giving its JSON value. */
interface SideTable {
  readonly name: string;
  readonly key: string;
  readonly columns: ReadonlyMap<string, { readonly column: string; readonly timestamp: boolean }>;
}

/** Column types whose JSON value is what the connector hands out (numeric: a JSON number, as the decimal transformer makes it). */
const JSON_AS_IS = new Set<unknown>(['uuid', 'varchar', 'character varying', 'text', 'int', 'integer', 'boolean', 'numeric', 'date']);
const TIMESTAMP = new Set<unknown>(['timestamptz', 'timestamp with time zone']);
/** json_build_object takes at most 100 arguments. */
const MAX_PAIRS = 50;

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
/** A timestamp as the DateTimeISO scalar writes the Date pg would parse from it (microseconds cut). */
const iso = (expression: string) => `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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

/** Aliases of one record's integration row and sides in a statement. */
interface Aliases {
  readonly link: string;
  readonly erp: string;
  readonly crm: string;
}

export interface ListFilterSql {
  readonly search: boolean;
  readonly syncState: boolean;
  readonly coupled: boolean | null;
  readonly modifiedSince: boolean;
  readonly after: boolean;
}

/**
 * Writes a selection as one SQL statement over the three stores (only when they are one
 * database) that returns the answer as JSON: each record an object with the fields asked for under
 * their GraphQL names (merged fields, sync state and id worked out by the rules the loader path
 * applies), its related records nested in it. Nothing a client sent is written into the text: page
 * sizes are checked integers, values are parameters.
 */
export class ReadStatements {
  private readonly tables = new Map<string, SideTable | null>();
  private aliasCount = 0;

  constructor(private readonly stores: Readonly<Record<SystemName, DataSource>>) {}

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
    this.aliasCount = 0;
    const a = this.aliases();
    const conditions = [`r.mapping_name = ${literal(mappingName)}`, `(${LISTED})`];
    let parameter = 0;
    if (filter.search) {
      parameter += 1;
      conditions.push(`(r.erp_search_text LIKE $${parameter} OR r.crm_search_text LIKE $${parameter})`);
    }
    if (filter.syncState) conditions.push(`${syncStateSql('r')} = $${(parameter += 1)}`);
    if (filter.coupled === true) conditions.push('r.erp_id IS NOT NULL AND r.crm_id IS NOT NULL');
    if (filter.coupled === false) conditions.push('(r.erp_id IS NULL OR r.crm_id IS NULL)');
    if (filter.modifiedSince) conditions.push(`GREATEST(r.erp_modified_at, r.crm_modified_at) >= $${(parameter += 1)}`);
    if (filter.after) conditions.push(`(r.sort_key, r.id) > ($${(parameter += 1)}, $${(parameter += 1)}::uuid)`);
    const erp = this.table(selection.type, 'erp')!;
    const crm = this.table(selection.type, 'crm')!;
    const record = this.record(selection, a);
    // The sides are probed by key per page row (LIMIT 1 keeps each a probe): joined plainly, a page of 1,000 hashed the whole customer table.
    const value = `CASE WHEN ${a.erp}.${erp.key} IS NULL AND ${a.crm}.${crm.key} IS NULL THEN NULL ELSE ${record.value} END`;
    const page = `SELECT coalesce(json_agg(json_build_array(${a.link}.sort_key, ${a.link}.id, ${value}) ORDER BY ${a.link}.sort_key, ${a.link}.id), '[]'::json)
      FROM (SELECT * FROM integration.integration_record r WHERE ${conditions.join(' AND ')} ORDER BY r.sort_key, r.id LIMIT ${limit}) ${a.link}
      LEFT JOIN LATERAL (SELECT * FROM ${erp.name} x WHERE x.${erp.key} = ${a.link}.erp_id LIMIT 1) ${a.erp} ON true
      LEFT JOIN LATERAL (SELECT * FROM ${crm.name} x WHERE x.${crm.key} = ${a.link}.crm_id LIMIT 1) ${a.crm} ON true
      ${record.joins}`;
    return this.statement(mappingName, page);
  }

  /**
   * Records by one side's key, parameters $1 (text[]: erp or crm) and $2 (uuid[]): [[ordinal,
   * record], …] for those that exist on the side their id names.
   */
  lookup(selection: RecordSelection): string {
    this.aliasCount = 0;
    const a = this.aliases();
    const { type } = selection;
    const erp = this.table(type, 'erp')!;
    const crm = this.table(type, 'crm')!;
    const mapping = literal(type.mappingName);
    const wanted = (system: SystemName) => `CASE WHEN q.system = '${system}' THEN q.key END`;
    const record = this.record(selection, a);
    const records = `SELECT coalesce(json_agg(json_build_array(q.ordinal, ${record.value})), '[]'::json)
      FROM unnest($1::text[], $2::uuid[]) WITH ORDINALITY q(system, key, ordinal)
      LEFT JOIN LATERAL (
        SELECT * FROM integration.integration_record r WHERE r.mapping_name = ${mapping} AND r.erp_id = ${wanted('erp')}
        UNION ALL
        SELECT * FROM integration.integration_record r WHERE r.mapping_name = ${mapping} AND r.crm_id = ${wanted('crm')}
        LIMIT 1) ${a.link} ON true
      LEFT JOIN ${erp.name} ${a.erp} ON ${a.erp}.${erp.key} = CASE WHEN ${a.link}.id IS NULL THEN ${wanted('erp')} ELSE ${a.link}.erp_id END
      LEFT JOIN ${crm.name} ${a.crm} ON ${a.crm}.${crm.key} = CASE WHEN ${a.link}.id IS NULL THEN ${wanted('crm')} ELSE ${a.link}.crm_id END
      ${record.joins}
      WHERE (q.system = 'erp' AND ${a.erp}.${erp.key} IS NOT NULL) OR (q.system = 'crm' AND ${a.crm}.${crm.key} IS NOT NULL)`;
    return this.statement(type.mappingName, records);
  }

  /** [table mapping installed, records]. */
  private statement(mappingName: string, records: string): string {
    return `SELECT json_build_array(EXISTS (SELECT 1 FROM integration.table_mapping WHERE name = ${literal(mappingName)}), (${records}))::text AS result`;
  }

  private aliases(): Aliases {
    const n = this.aliasCount++;
    return { link: `l${n}`, erp: `e${n}`, crm: `c${n}` };
  }

  /**
   * The JSON object of one record whose rows are bound to `a` (its link row may be all nulls), and
   * the lateral joins its relations need, to follow the joins that bind `a`. As joins (not
   * subqueries in the select list) PostgreSQL plans them knowing how many records they run for,
   * and probes small tables by key instead of hashing them whole for every record.
   */
  private record(selection: RecordSelection, a: Aliases): { value: string; joins: string } {
    const { type } = selection;
    const erp = this.table(type, 'erp')!;
    const crm = this.table(type, 'crm')!;
    const erpKey = `${a.erp}.${erp.key}`;
    const crmKey = `${a.crm}.${crm.key}`;
    const pairs = [`'typeName', ${literal(type.typeName)}`];
    if (selection.id) {
      // encodeUnifiedId: base64url of "Type:side:key", the ERP side's key when there is one.
      const raw = `${literal(`${type.typeName}:`)} || CASE WHEN ${erpKey} IS NOT NULL THEN 'erp:' || ${erpKey} ELSE 'crm:' || ${crmKey} END`;
      pairs.push(`'id', translate(encode(convert_to(${raw}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`);
    }
    if (selection.syncState) {
      pairs.push(`'syncState', ${syncStateSql(a.link, { erpModifiedAt: `${a.erp}.modified_at`, crmModifiedAt: `${a.crm}.modified_at` })}`);
    }
    if (selection.coupling) {
      const fields = selection.coupling.map((field) => {
        const column = `${a.link}.${COUPLING_COLUMNS[field]!}`;
        return `${literal(field)}, ${COUPLING_TIMESTAMPS.has(field) ? iso(column) : column}`;
      });
      pairs.push(`'coupling', CASE WHEN ${a.link}.erp_id IS NOT NULL AND ${a.link}.crm_id IS NOT NULL THEN json_build_object(${fields.join(', ')}) END`);
    }
    for (const name of selection.merged) pairs.push(`${literal(name)}, ${this.merged(type, name, a, erp, crm)}`);
    if (selection.erp) pairs.push(`'erp', ${this.side(erp, a.erp, selection.erp)}`);
    if (selection.crm) pairs.push(`'crm', ${this.side(crm, a.crm, selection.crm)}`);
    const joins: string[] = [];
    for (const { field, relation, selection: target } of selection.relations) {
      const related = relation.kind === 'one' ? this.toOne(type, a, relation, target) : this.toMany(type, a, relation, target);
      pairs.push(`${literal(field)}, ${related.value}`);
      joins.push(related.joins);
    }
    return { value: `json_build_object(${pairs.join(', ')})`, joins: joins.join('\n') };
  }

  private side(table: SideTable, alias: string, properties: readonly string[]): string {
    const fields = properties.map((property) => `${literal(property)}, ${value(table, alias, property)}`);
    return `CASE WHEN ${alias}.${table.key} IS NULL THEN NULL ELSE json_build_object(${fields.join(', ')}) END`;
  }

  /** mergeFields: a missing side yields to the other; else the field mapping's owner, or the side changed last (the ERP on a tie). */
  private merged(type: UnifiedType, name: string, a: Aliases, erp: SideTable, crm: SideTable): string {
    const [erpField, crmField] = type.merged[name]!;
    const erpValue = `to_json(${value(erp, a.erp, erpField)})`;
    const crmValue = `to_json(${value(crm, a.crm, crmField)})`;
    const direction = `coalesce((SELECT f.direction FROM integration.field_mapping f
        WHERE f.enabled AND f.table_mapping_name = ${literal(type.mappingName)} AND f.erp_field = ${literal(erpField)} AND f.crm_field = ${literal(crmField)}
        ORDER BY f.sequence LIMIT 1), 'TO_CRM')`;
    const erpIsNewer = `date_trunc('milliseconds', ${a.erp}.modified_at) >= date_trunc('milliseconds', ${a.crm}.modified_at)`;
    return `CASE WHEN ${a.erp}.${erp.key} IS NULL THEN ${crmValue} WHEN ${a.crm}.${crm.key} IS NULL THEN ${erpValue}
      ELSE CASE ${direction} WHEN 'TO_CRM' THEN ${erpValue} WHEN 'FROM_CRM' THEN ${crmValue}
      ELSE CASE WHEN ${erpIsNewer} THEN ${erpValue} ELSE ${crmValue} END END END`;
  }

  /** `UnifiedRecords.related`: the link by ERP code or CRM key, else the side itself. */
  private toOne(parent: UnifiedType, p: Aliases, relation: ToOneRelation, selection: RecordSelection): { value: string; joins: string } {
    const { parentErp, parentCrm, type, erp, crm, mapping } = this.relationTables(parent, selection);
    const code = `NULLIF(${p.erp}.${parentErp.columns.get(relation.erpRef)!.column}, '')`;
    const crmKey = `${p.crm}.${parentCrm.columns.get(relation.crmRef)!.column}`;
    const codeColumn = type.erpCodeField ? erp.columns.get(type.erpCodeField)!.column : null;

    const byCode = this.aliases();
    const erpByCode = codeColumn ? `(SELECT x.${erp.key} FROM ${erp.name} x WHERE x.${codeColumn} = ref.value ORDER BY x.${erp.key} LIMIT 1)` : 'NULL::uuid';
    const codeRecord = this.record(selection, byCode);
    const viaCode = `LEFT JOIN LATERAL (SELECT ${codeRecord.value} AS value
        FROM (SELECT ${code} AS value) ref
        LEFT JOIN LATERAL (SELECT * FROM integration.integration_record r WHERE r.mapping_name = ${mapping} AND r.erp_code = ref.value LIMIT 1) ${byCode.link} ON true
        LEFT JOIN ${erp.name} ${byCode.erp} ON ${byCode.erp}.${erp.key} = CASE WHEN ${byCode.link}.id IS NULL THEN ${erpByCode} ELSE ${byCode.link}.erp_id END
        LEFT JOIN ${crm.name} ${byCode.crm} ON ${byCode.crm}.${crm.key} = ${byCode.link}.crm_id
        ${codeRecord.joins}
       WHERE ${p.erp}.${parentErp.key} IS NOT NULL AND ref.value IS NOT NULL AND (${byCode.erp}.${erp.key} IS NOT NULL OR ${byCode.crm}.${crm.key} IS NOT NULL)) ${byCode.link}_related ON true`;

    const byKey = this.aliases();
    const keyRecord = this.record(selection, byKey);
    const viaKey = `LEFT JOIN LATERAL (SELECT ${keyRecord.value} AS value
        FROM (SELECT ${crmKey} AS value) ref
        LEFT JOIN integration.integration_record ${byKey.link} ON ${byKey.link}.mapping_name = ${mapping} AND ${byKey.link}.crm_id = ref.value
        LEFT JOIN ${erp.name} ${byKey.erp} ON ${byKey.erp}.${erp.key} = ${byKey.link}.erp_id
        LEFT JOIN ${crm.name} ${byKey.crm} ON ${byKey.crm}.${crm.key} = CASE WHEN ${byKey.link}.id IS NULL THEN ref.value ELSE ${byKey.link}.crm_id END
        ${keyRecord.joins}
       WHERE ${p.erp}.${parentErp.key} IS NULL AND ref.value IS NOT NULL AND (${byKey.erp}.${erp.key} IS NOT NULL OR ${byKey.crm}.${crm.key} IS NOT NULL)) ${byKey.link}_related ON true`;

    return { value: `coalesce(${byCode.link}_related.value, ${byKey.link}_related.value)`, joins: `${viaCode}\n${viaKey}` };
  }

  /** `UnifiedRecords.relatedMany`: ERP records, then CRM records, each unified record once (the first). */
  private toMany(parent: UnifiedType, p: Aliases, relation: ToManyRelation, selection: RecordSelection): { value: string; joins: string } {
    const { parentErp, parentCrm, erp, crm, mapping } = this.relationTables(parent, selection);
    const column = (table: SideTable, property: string) => table.columns.get(property)!.column;

    const fromErp = this.aliases();
    const erpField = `${fromErp.erp}.${column(erp, relation.erp.field)}`;
    const { through } = relation.erp;
    const erpRows = through
      ? `${erp.name} via JOIN ${erp.name} ${fromErp.erp} ON ${erpField} = via.${column(erp, relation.erp.parentField)}`
      : `${erp.name} ${fromErp.erp}`;
    const erpCondition = through
      ? `via.${column(erp, through.field)} = ${p.erp}.${column(parentErp, through.parentField)} AND via.${column(erp, relation.erp.parentField)} <> ''`
      : `${erpField} = ${p.erp}.${column(parentErp, relation.erp.parentField)}`;
    const erpRecord = this.record(selection, fromErp);
    const erpRecords = `SELECT 0 AS source, ${through ? `via.${erp.key}` : `${fromErp.erp}.${erp.key}`} AS first_key, ${fromErp.erp}.${erp.key} AS second_key,
        'erp:' || ${fromErp.erp}.${erp.key} AS anchor, ${erpRecord.value} AS value
      FROM ${erpRows}
      LEFT JOIN integration.integration_record ${fromErp.link} ON ${fromErp.link}.mapping_name = ${mapping} AND ${fromErp.link}.erp_id = ${fromErp.erp}.${erp.key}
      LEFT JOIN ${crm.name} ${fromErp.crm} ON ${fromErp.crm}.${crm.key} = ${fromErp.link}.crm_id
      ${erpRecord.joins}
      WHERE ${erpCondition}`;

    const fromCrm = this.aliases();
    const crmRecord = this.record(selection, fromCrm);
    const crmRecords = `SELECT 1, ${fromCrm.crm}.${crm.key}, NULL::uuid,
        CASE WHEN ${fromCrm.erp}.${erp.key} IS NOT NULL THEN 'erp:' || ${fromCrm.erp}.${erp.key} ELSE 'crm:' || ${fromCrm.crm}.${crm.key} END,
        ${crmRecord.value}
      FROM ${crm.name} ${fromCrm.crm}
      LEFT JOIN integration.integration_record ${fromCrm.link} ON ${fromCrm.link}.mapping_name = ${mapping} AND ${fromCrm.link}.crm_id = ${fromCrm.crm}.${crm.key}
      LEFT JOIN ${erp.name} ${fromCrm.erp} ON ${fromCrm.erp}.${erp.key} = ${fromCrm.link}.erp_id
      ${crmRecord.joins}
      WHERE ${fromCrm.crm}.${column(crm, relation.crm.field)} = ${p.crm}.${parentCrm.key}`;

    const related = `${fromErp.link}_related`;
    return {
      value: `${related}.value`,
      joins: `LEFT JOIN LATERAL (SELECT coalesce(json_agg(u.value ORDER BY u.source, u.first_key, u.second_key), '[]'::json) AS value
      FROM (SELECT DISTINCT ON (anchor) * FROM (${erpRecords} UNION ALL ${crmRecords}) s ORDER BY anchor, source, first_key, second_key) u) ${related} ON true`,
    };
  }

  /** The tables a relation joins: the referring record's sides and the related type's. */
  private relationTables(parent: UnifiedType, selection: RecordSelection) {
    const { type } = selection;
    return {
      parentErp: this.table(parent, 'erp')!,
      parentCrm: this.table(parent, 'crm')!,
      type,
      erp: this.table(type, 'erp')!,
      crm: this.table(type, 'crm')!,
      mapping: literal(type.mappingName),
    };
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
    if (!this.tables.has(id)) this.tables.set(id, describe(this.stores[system], system === 'erp' ? type.erpTable : type.crmTable));
    return this.tables.get(id)!;
  }
}

/** A column's value as the record the connector reads holds it, in JSON (timestamps as DateTimeISO strings). */
function value(table: SideTable, alias: string, property: string): string {
  const { column, timestamp } = table.columns.get(property)!;
  return timestamp ? iso(`${alias}.${column}`) : `${alias}.${column}`;
}

function describe(dataSource: DataSource, tableName: string): SideTable | null {
  const metadata: EntityMetadata | undefined = dataSource.entityMetadatas.find((m) => m.tableName === tableName || m.name === tableName);
  if (!metadata || metadata.primaryColumns.length !== 1) return null;
  const columns = new Map<string, { column: string; timestamp: boolean }>();
  for (const column of metadata.columns) {
    const type = column.type;
    if (TIMESTAMP.has(type)) columns.set(column.propertyName, { column: column.databaseName, timestamp: true });
    else if (JSON_AS_IS.has(type) && (!column.transformer || type === 'numeric')) columns.set(column.propertyName, { column: column.databaseName, timestamp: false });
  }
  return { name: `${metadata.schema}.${metadata.tableName}`, key: metadata.primaryColumns[0]!.databaseName, columns };
}
