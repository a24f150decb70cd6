import type { DataSource, EntityMetadata } from 'typeorm';
import type { SystemName } from '../../connectors/system-connector';
import { LISTED } from '../../../entities/integration/integration-record.entity';
import { syncStateSql } from '../sync-state';
import type { UnifiedType } from '../unified-types';
import type { ToManyRelation, ToOneRelation } from './compiled-relations';
import type { RecordSelection } from './record-selection';

/** How a column's value travels in the statement's JSON and becomes what the loaders would hold. */
export type ColumnKind = 'plain' | 'timestamp';

export interface SideColumns {
  /** The property holding the record's key. */
  readonly keyProperty: string;
  readonly properties: readonly string[];
  readonly kinds: readonly ColumnKind[];
}

/** One side's table as a compiled read sees it. */
interface SideTable {
  readonly name: string;
  readonly key: string;
  readonly keyProperty: string;
  readonly columns: ReadonlyMap<string, { readonly column: string; readonly kind: ColumnKind }>;
}

/** Column types whose JSON value is the value the connector hands out (numeric: a JSON number, as the decimal transformer makes it). */
const JSON_AS_IS = new Set<unknown>(['uuid', 'varchar', 'character varying', 'text', 'int', 'integer', 'boolean', 'numeric', 'date']);

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
/** Epoch milliseconds, cut as pg's date parser cuts microseconds. */
const millis = (expression: string) => `floor(extract(epoch from ${expression}) * 1000)::int8`;

const LINK_COLUMNS = ['id', 'erp_id', 'crm_id', 'last_result', 'last_synced_erp_modified_at', 'last_synced_crm_modified_at', 'coupled_at', 'last_synced_at', 'last_error', 'sort_key'];
const LINK_TIMESTAMPS = new Set(['last_synced_erp_modified_at', 'last_synced_crm_modified_at', 'coupled_at', 'last_synced_at']);

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
 * database): each record a JSON array [link, erp, crm, …relations], its related records nested in
 * it, the field mappings the merge needs beside them. Nothing a client sent is written into the
 * text: page sizes are checked integers, values are parameters.
 */
export class ReadStatements {
  private readonly tables = new Map<string, SideTable | null>();
  private aliasCount = 0;

  constructor(private readonly stores: Readonly<Record<SystemName, DataSource>>) {}

  /** The side columns a selection reads, in the order the statement returns them; null when one is not readable. */
  sideColumns(type: UnifiedType, system: SystemName, properties: readonly string[]): SideColumns | null {
    const table = this.table(type, system);
    if (!table) return null;
    const kinds: ColumnKind[] = [];
    for (const property of properties) {
      const column = table.columns.get(property);
      if (!column) return null;
      kinds.push(column.kind);
    }
    return { keyProperty: table.keyProperty, properties, kinds };
  }

  /** Whether every side column of the selection (and its relations') can be read by a compiled statement. */
  covers(selection: RecordSelection): boolean {
    return (
      this.sideColumns(selection.type, 'erp', selection.erp) !== null &&
      this.sideColumns(selection.type, 'crm', selection.crm) !== null &&
      selection.relations.every((relation) => this.relationCovered(selection.type, relation.relation, relation.selection.type) && this.covers(relation.selection))
    );
  }

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
    const records = `SELECT coalesce(json_agg(${this.record(selection, a)} ORDER BY ${a.link}.sort_key, ${a.link}.id), '[]'::json)
      FROM (SELECT * FROM integration.integration_record r WHERE ${conditions.join(' AND ')} ORDER BY r.sort_key, r.id LIMIT ${limit}) ${a.link}
      LEFT JOIN ${erp.name} ${a.erp} ON ${a.erp}.${erp.key} = ${a.link}.erp_id
      LEFT JOIN ${crm.name} ${a.crm} ON ${a.crm}.${crm.key} = ${a.link}.crm_id`;
    return this.statement(selection, mappingName, records);
  }

  /** Records by one side's key: parameters $1 (text[]: erp or crm) and $2 (uuid[]), answered with their ordinal. */
  lookup(selection: RecordSelection): string {
    this.aliasCount = 0;
    const a = this.aliases();
    const { type } = selection;
    const erp = this.table(type, 'erp')!;
    const crm = this.table(type, 'crm')!;
    const mapping = literal(type.mappingName);
    const wanted = (system: SystemName) => `CASE WHEN q.system = '${system}' THEN q.key END`;
    const records = `SELECT coalesce(json_agg(json_build_array(q.ordinal, ${this.record(selection, a)})), '[]'::json)
      FROM unnest($1::text[], $2::uuid[]) WITH ORDINALITY q(system, key, ordinal)
      LEFT JOIN LATERAL (
        SELECT * FROM integration.integration_record r WHERE r.mapping_name = ${mapping} AND r.erp_id = ${wanted('erp')}
        UNION ALL
        SELECT * FROM integration.integration_record r WHERE r.mapping_name = ${mapping} AND r.crm_id = ${wanted('crm')}
        LIMIT 1) ${a.link} ON true
      LEFT JOIN ${erp.name} ${a.erp} ON ${a.erp}.${erp.key} = CASE WHEN ${a.link}.id IS NULL THEN ${wanted('erp')} ELSE ${a.link}.erp_id END
      LEFT JOIN ${crm.name} ${a.crm} ON ${a.crm}.${crm.key} = CASE WHEN ${a.link}.id IS NULL THEN ${wanted('crm')} ELSE ${a.link}.crm_id END
      WHERE (q.system = 'erp' AND ${a.erp}.${erp.key} IS NOT NULL) OR (q.system = 'crm' AND ${a.crm}.${crm.key} IS NOT NULL)`;
    return this.statement(selection, type.mappingName, records);
  }

  /** [table mapping installed, field mappings of every type read, records]. */
  private statement(selection: RecordSelection, mappingName: string, records: string): string {
    const mappings = [...new Set(typesOf(selection).map((type) => literal(type.mappingName)))].join(', ');
    return `SELECT json_build_array(
      EXISTS (SELECT 1 FROM integration.table_mapping WHERE name = ${literal(mappingName)}),
      (SELECT coalesce(json_agg(json_build_array(f.table_mapping_name, f.erp_field, f.crm_field, f.direction) ORDER BY f.table_mapping_name, f.sequence), '[]'::json)
         FROM integration.field_mapping f WHERE f.enabled AND f.table_mapping_name IN (${mappings})),
      (${records}))::text AS result`;
  }

  private aliases(): Aliases {
    const n = this.aliasCount++;
    return { link: `l${n}`, erp: `e${n}`, crm: `c${n}` };
  }

  /** The JSON array of one record whose rows are bound to `a`, with its relations. */
  private record(selection: RecordSelection, a: Aliases): string {
    const { type } = selection;
    const erp = this.table(type, 'erp')!;
    const crm = this.table(type, 'crm')!;
    const link = LINK_COLUMNS.map((column) => (LINK_TIMESTAMPS.has(column) ? millis(`${a.link}.${column}`) : `${a.link}.${column}`)).join(', ');
    const side = (table: SideTable, alias: string, properties: readonly string[]) => {
      const values = [`${alias}.${table.key}`, millis(`${alias}.modified_at`)];
      for (const property of properties) {
        const { column, kind } = table.columns.get(property)!;
        values.push(kind === 'timestamp' ? millis(`${alias}.${column}`) : `${alias}.${column}`);
      }
      return `CASE WHEN ${alias}.${table.key} IS NULL THEN NULL ELSE json_build_array(${values.join(', ')}) END`;
    };
    const parts = [
      `CASE WHEN ${a.link}.id IS NULL THEN NULL ELSE json_build_array(${link}) END`,
      side(erp, a.erp, selection.erp),
      side(crm, a.crm, selection.crm),
      ...selection.relations.map(({ relation, selection: target }) =>
        relation.kind === 'one' ? this.toOne(type, a, relation, target) : this.toMany(type, a, relation, target),
      ),
    ];
    return `json_build_array(${parts.join(', ')})`;
  }

  /** `UnifiedRecords.related`: the link by ERP code or CRM key, else the side itself. */
  private toOne(parent: UnifiedType, p: Aliases, relation: ToOneRelation, selection: RecordSelection): string {
    const parentErp = this.table(parent, 'erp')!;
    const parentCrm = this.table(parent, 'crm')!;
    const { type } = selection;
    const erp = this.table(type, 'erp')!;
    const crm = this.table(type, 'crm')!;
    const mapping = literal(type.mappingName);
    const code = `NULLIF(${p.erp}.${parentErp.columns.get(relation.erpRef)!.column}, '')`;
    const crmKey = `${p.crm}.${parentCrm.columns.get(relation.crmRef)!.column}`;
    const codeColumn = type.erpCodeField ? erp.columns.get(type.erpCodeField)!.column : null;

    const byCode = this.aliases();
    const erpByCode = codeColumn
      ? `(SELECT x.${erp.key} FROM ${erp.name} x WHERE x.${codeColumn} = ref.value ORDER BY x.${erp.key} LIMIT 1)`
      : 'NULL::uuid';
    const viaCode = `(SELECT ${this.record(selection, byCode)}
        FROM (SELECT ${code} AS value) ref
        LEFT JOIN LATERAL (SELECT * FROM integration.integration_record r WHERE r.mapping_name = ${mapping} AND r.erp_code = ref.value LIMIT 1) ${byCode.link} ON true
        LEFT JOIN ${erp.name} ${byCode.erp} ON ${byCode.erp}.${erp.key} = CASE WHEN ${byCode.link}.id IS NULL THEN ${erpByCode} ELSE ${byCode.link}.erp_id END
        LEFT JOIN ${crm.name} ${byCode.crm} ON ${byCode.crm}.${crm.key} = ${byCode.link}.crm_id
       WHERE ref.value IS NOT NULL AND (${byCode.erp}.${erp.key} IS NOT NULL OR ${byCode.crm}.${crm.key} IS NOT NULL))`;

    const byKey = this.aliases();
    const viaKey = `(SELECT ${this.record(selection, byKey)}
        FROM (SELECT ${crmKey} AS value) ref
        LEFT JOIN integration.integration_record ${byKey.link} ON ${byKey.link}.mapping_name = ${mapping} AND ${byKey.link}.crm_id = ref.value
        LEFT JOIN ${erp.name} ${byKey.erp} ON ${byKey.erp}.${erp.key} = ${byKey.link}.erp_id
        LEFT JOIN ${crm.name} ${byKey.crm} ON ${byKey.crm}.${crm.key} = CASE WHEN ${byKey.link}.id IS NULL THEN ref.value ELSE ${byKey.link}.crm_id END
       WHERE ref.value IS NOT NULL AND (${byKey.erp}.${erp.key} IS NOT NULL OR ${byKey.crm}.${crm.key} IS NOT NULL))`;

    return `CASE WHEN ${p.erp}.${parentErp.key} IS NOT NULL THEN ${viaCode} ELSE ${viaKey} END`;
  }

  /** `UnifiedRecords.relatedMany`: ERP records, then CRM records, each unified record once (the first). */
  private toMany(parent: UnifiedType, p: Aliases, relation: ToManyRelation, selection: RecordSelection): string {
    const parentErp = this.table(parent, 'erp')!;
    const parentCrm = this.table(parent, 'crm')!;
    const { type } = selection;
    const erp = this.table(type, 'erp')!;
    const crm = this.table(type, 'crm')!;
    const mapping = literal(type.mappingName);
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
    const erpRecords = `SELECT 0 AS source, ${through ? `via.${erp.key}` : `${fromErp.erp}.${erp.key}`} AS first_key, ${fromErp.erp}.${erp.key} AS second_key,
        'erp:' || ${fromErp.erp}.${erp.key} AS anchor, ${this.record(selection, fromErp)} AS value
      FROM ${erpRows}
      LEFT JOIN integration.integration_record ${fromErp.link} ON ${fromErp.link}.mapping_name = ${mapping} AND ${fromErp.link}.erp_id = ${fromErp.erp}.${erp.key}
      LEFT JOIN ${crm.name} ${fromErp.crm} ON ${fromErp.crm}.${crm.key} = ${fromErp.link}.crm_id
      WHERE ${erpCondition}`;

    const fromCrm = this.aliases();
    const crmRecords = `SELECT 1, ${fromCrm.crm}.${crm.key}, NULL::uuid,
        CASE WHEN ${fromCrm.erp}.${erp.key} IS NOT NULL THEN 'erp:' || ${fromCrm.erp}.${erp.key} ELSE 'crm:' || ${fromCrm.crm}.${crm.key} END,
        ${this.record(selection, fromCrm)}
      FROM ${crm.name} ${fromCrm.crm}
      LEFT JOIN integration.integration_record ${fromCrm.link} ON ${fromCrm.link}.mapping_name = ${mapping} AND ${fromCrm.link}.crm_id = ${fromCrm.crm}.${crm.key}
      LEFT JOIN ${erp.name} ${fromCrm.erp} ON ${fromCrm.erp}.${erp.key} = ${fromCrm.link}.erp_id
      WHERE ${fromCrm.crm}.${column(crm, relation.crm.field)} = ${p.crm}.${parentCrm.key}`;

    return `(SELECT coalesce(json_agg(u.value ORDER BY u.source, u.first_key, u.second_key), '[]'::json)
      FROM (SELECT DISTINCT ON (anchor) * FROM (${erpRecords} UNION ALL ${crmRecords}) s ORDER BY anchor, source, first_key, second_key) u)`;
  }

  private relationCovered(parent: UnifiedType, relation: ToOneRelation | ToManyRelation, target: UnifiedType): boolean {
    const parentErp = this.table(parent, 'erp');
    const parentCrm = this.table(parent, 'crm');
    if (!parentErp || !parentCrm) return false;
    if (relation.kind === 'one') return parentErp.columns.has(relation.erpRef) && parentCrm.columns.has(relation.crmRef) && (target.erpCodeField === null || this.table(target, 'erp')?.columns.has(target.erpCodeField) === true);
    const erp = this.table(target, 'erp');
    const crm = this.table(target, 'crm');
    const { field, parentField, through } = relation.erp;
    if (!erp || !crm || !erp.columns.has(field) || !crm.columns.has(relation.crm.field)) return false;
    return through ? erp.columns.has(parentField) && erp.columns.has(through.field) && parentErp.columns.has(through.parentField) : parentErp.columns.has(parentField);
  }

  private table(type: UnifiedType, system: SystemName): SideTable | null {
    const id = `${system}:${type.typeName}`;
    if (!this.tables.has(id)) this.tables.set(id, describe(this.stores[system], system === 'erp' ? type.erpTable : type.crmTable));
    return this.tables.get(id)!;
  }
}

function describe(dataSource: DataSource, tableName: string): SideTable | null {
  const metadata: EntityMetadata | undefined = dataSource.entityMetadatas.find((m) => m.tableName === tableName || m.name === tableName);
  if (!metadata || metadata.primaryColumns.length !== 1) return null;
  const columns = new Map<string, { column: string; kind: ColumnKind }>();
  for (const column of metadata.columns) {
    const type = String(column.type);
    if (type === 'timestamptz' || type === 'timestamp with time zone') columns.set(column.propertyName, { column: column.databaseName, kind: 'timestamp' });
    else if (JSON_AS_IS.has(type) && (!column.transformer || type === 'numeric')) columns.set(column.propertyName, { column: column.databaseName, kind: 'plain' });
  }
  const [key] = metadata.primaryColumns;
  return { name: `${metadata.schema}.${metadata.tableName}`, key: key!.databaseName, keyProperty: key!.propertyName, columns };
}

function typesOf(selection: RecordSelection): UnifiedType[] {
  return [selection.type, ...selection.relations.flatMap((relation) => typesOf(relation.selection))];
}
