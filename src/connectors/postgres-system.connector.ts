import type { DataSource, EntityManager, EntityMetadata, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { RecordFilter } from '../../entities/integration/record-filter';
import { badInput } from '../errors/domain-error';
import { bulkInsert } from '../db/bulk-insert';
import { TextRows, type TextRow } from '../db/text-rows';
import { DescribedRecords } from './described-records';
import { applyFilter, checkFilter } from './filter-sql';
import type { ChangeCursor, ChangeOptions, DomainRecord, ListOptions, NumberPreview, RecordRead, SystemConnector, SystemName, Table, TableWrite } from './system-connector';
import type { FieldDescriptor, FieldKind } from './table-descriptor';

const STAMPED = new Set(['modifiedAt', 'modifiedBy']);

/** A table's TypeORM side, kept behind its descriptor. */
interface TableShape {
  readonly metadata: EntityMetadata;
  /** Every column under its property name, so that pg's rows are the records. */
  readonly selection: string;
  /** Columns whose values pg does not hand over as the entity holds them (dates, decimals). */
  readonly converted: readonly ColumnMetadata[];
  /** Its rows as JSON arrays of text, for reads that share a statement. */
  readonly textRows: TextRows;
}

/** Statements a write brings along in its transaction, and what to note once it has committed. */
export interface WriteEffects {
  inTransaction(manager: EntityManager): Promise<void>;
  afterCommit(): void;
}

/** Column types pg parses into the very values TypeORM would hydrate. */
const AS_PARSED = new Set<unknown>(['uuid', 'varchar', 'character varying', 'text', 'int', 'integer', 'boolean', 'timestamptz', 'timestamp with time zone']);

const KINDS: Readonly<Record<string, FieldKind>> = {
  uuid: 'key',
  varchar: 'text',
  'character varying': 'text',
  text: 'text',
  int: 'integer',
  integer: 'integer',
  numeric: 'decimal',
  boolean: 'boolean',
  timestamptz: 'timestamp',
  'timestamp with time zone': 'timestamp',
  date: 'date',
};

/** A field's descriptor from its column: its kind, width, whether it is required and a new record's value. */
function describeColumn(column: ColumnMetadata): FieldDescriptor {
  const type = String(column.type);
  const kind = KINDS[type];
  if (!kind) throw new Error(`Column ${column.entityMetadata.tableName}.${column.databaseName} has type ${type}, which no field kind holds`);
  const fallback = kind === 'boolean' ? false : kind === 'decimal' || kind === 'integer' ? 0 : kind === 'key' ? null : '';
  const declared = typeof column.default === 'function' ? undefined : column.default;
  return {
    name: column.propertyName,
    kind,
    maxLength: column.length ? Number(column.length) : null,
    // Modified-at and modified-by are stamped by bulkUpsert.
    required: !column.isNullable && !STAMPED.has(column.propertyName),
    defaultValue: column.isNullable ? null : (declared ?? fallback),
  };
}

/**
 * A system's model stored in PostgreSQL, one table per record type. The ERP and the CRM
 * connectors are this with their own data source and key column. Tables are described from
 * TypeORM's metadata; TypeORM stays in here, for writes and migrations.
 */
export abstract class PostgresSystemConnector implements SystemConnector {
  abstract readonly system: SystemName;
  protected abstract readonly keyProperty: string;

  private readonly descriptors = new Map<string, Table>();
  private readonly shapes = new Map<Table, TableShape>();
  private readonly described = new DescribedRecords();

  constructor(protected readonly dataSource: DataSource) {}

  /** The table's name in its schema, as SQL. */
  protected qualifiedName(table: Table): string {
    const metadata = this.metadata(table);
    return `"${metadata.schema}"."${metadata.tableName}"`;
  }

  /** The column of a property, as SQL. */
  protected columnOf(table: Table, field: string): string {
    const column = this.metadata(table).findColumnWithPropertyName(field);
    if (!column) throw badInput(`Unknown field "${field}" on ${table.name}`, { field });
    return `"${column.databaseName}"`;
  }

  keyOf<T extends DomainRecord>(table: Table<T>, record: T): string {
    return this.described.keyOf(table, record);
  }

  table<T extends DomainRecord = DomainRecord>(name: string): Table<T> {
    let descriptor = this.descriptors.get(name);
    if (!descriptor) {
      const metadata = this.dataSource.entityMetadatas.find((m) => m.tableName === name || m.name === name);
      if (!metadata) throw badInput(`The ${this.system.toUpperCase()} has no table "${name}"`, { table: name });
      descriptor = this.descriptors.get(metadata.tableName) ?? this.describe(metadata);
      this.descriptors.set(name, descriptor);
    }
    return descriptor as Table<T>;
  }

  /** The table's descriptor and what its queries need, worked out from its metadata once. */
  private describe(metadata: EntityMetadata): Table {
    const columns = metadata.columns;
    const descriptor: Table = {
      system: this.system,
      name: metadata.tableName,
      keyField: this.keyProperty,
      modifiedAtField: 'modifiedAt',
      modifiedByField: 'modifiedBy',
      fields: new Map(columns.map((column) => [column.propertyName, describeColumn(column)])),
    };
    const selection = columns.map((column) => `"r"."${column.databaseName}" AS "${column.propertyName}"`).join(', ');
    const converted = columns.filter((column) => column.transformer || !AS_PARSED.has(column.type));
    this.shapes.set(descriptor, { metadata, selection, converted, textRows: new TextRows(metadata) });
    this.descriptors.set(metadata.tableName, descriptor);
    return descriptor;
  }

  private shapeOf(table: Table): TableShape {
    const shape = this.shapes.get(table);
    if (!shape) throw new Error(`Table "${table.name}" was not described by this ${this.system.toUpperCase()} connector`);
    return shape;
  }

  protected metadata(table: Table): EntityMetadata {
    return this.shapeOf(table).metadata;
  }

  private keyColumn(table: Table): string {
    return this.metadata(table).findColumnWithPropertyName(this.keyProperty)!.databaseName;
  }

  private query<T extends DomainRecord>(table: Table<T>): SelectQueryBuilder<T> {
    return this.dataSource.getRepository<T>(this.metadata(table).target).createQueryBuilder('r');
  }

  blankRecord<T extends DomainRecord>(table: Table<T>, key: string): T {
    return this.described.blankRecord(table, key);
  }

  missingRequired<T extends DomainRecord>(table: Table<T>, record: DomainRecord): string[] {
    return this.described.missingRequired(table, record);
  }

  /**
   * Runs a query for whole records. TypeORM's entity hydration costs more than the query itself on
   * a synchronisation chunk, so pg's rows, selected under the property names, are the records; the
   * few columns pg parses differently go through the driver's conversion.
   */
  private async load<T extends DomainRecord>(table: Table<T>, query: SelectQueryBuilder<T>): Promise<T[]> {
    const { selection } = this.shapeOf(table);
    const [sql, parameters] = query.select(selection).getQueryAndParameters();
    return this.converted(table, await this.dataSource.query(sql, parameters));
  }

  /** Records as pg hands them over, with the columns it parses differently converted as TypeORM would. */
  private converted<T extends DomainRecord>(table: Table<T>, records: T[]): T[] {
    const { converted } = this.shapeOf(table);
    if (converted.length === 0) return records;
    const { driver } = this.dataSource;
    for (const record of records) {
      for (const column of converted) (record as DomainRecord)[column.propertyName] = driver.prepareHydratedValue(record[column.propertyName], column);
    }
    return records;
  }

  /**
   * One statement: each read is a CTE over the earlier ones, its records come back as a JSON array
   * of rows of text (see TextRows), so they equal what `getByField` returns.
   */
  async readTogether(reads: readonly RecordRead[]): Promise<DomainRecord[][]> {
    if (reads.length === 0) return [];
    const parameters: unknown[] = [];
    const ctes = reads.map((read, index) => {
      const column = `r.${this.columnOf(read.table, read.field)}`;
      const condition =
        'from' in read.values
          ? `${column} IN (SELECT ${this.columnOf(reads[read.values.from]!.table, read.values.field)} FROM read_${read.values.from})`
          : `${column} = ANY($${parameters.push([...new Set(read.values)])})`;
      return `read_${index} AS (SELECT r.* FROM ${this.qualifiedName(read.table)} r WHERE ${condition})`;
    });
    const results = reads.map(
      (read, index) => `(SELECT coalesce(json_agg(${this.shapeOf(read.table).textRows.row} ORDER BY r.${this.keyColumn(read.table)}), '[]') FROM read_${index} r) AS "${index}"`,
    );
    const [row]: Array<Record<string, TextRow[]>> = await this.dataSource.query(`WITH ${ctes.join(', ')} SELECT ${results.join(', ')}`, parameters);
    return reads.map((read, index) => this.converted(read.table, this.shapeOf(read.table).textRows.parse(row![String(index)]!)));
  }

  maxLength<T extends DomainRecord>(table: Table<T>, field: string): number | null {
    return this.described.maxLength(table, field);
  }

  checkFilter<T extends DomainRecord>(table: Table<T>, filter: RecordFilter): void {
    checkFilter(this.metadata(table), filter);
  }

  async getByKeys<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<T[]> {
    if (keys.length === 0) return [];
    return this.load(table, this.query(table).where(`r.${this.keyColumn(table)} = ANY(:keys::uuid[])`, { keys: [...new Set(keys)] }));
  }

  async existingKeys<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const metadata = this.metadata(table);
    const key = this.keyColumn(table);
    const rows: Array<{ key: string }> = await this.dataSource.query(`SELECT ${key} AS key FROM "${metadata.schema}"."${metadata.tableName}" WHERE ${key} = ANY($1::uuid[])`, [
      [...new Set(keys)],
    ]);
    return new Set(rows.map((row) => row.key));
  }

  async getByField<T extends DomainRecord>(table: Table<T>, field: keyof T & string, values: readonly unknown[]): Promise<T[]> {
    if (values.length === 0) return [];
    const column = this.metadata(table).findColumnWithPropertyName(field);
    if (!column) throw badInput(`Unknown field "${field}" on ${table.name}`, { field });
    return this.load(
      table,
      this.query(table)
        .where(`r.${column.databaseName} = ANY(:values)`, { values: [...new Set(values)] })
        .orderBy(`r.${this.keyColumn(table)}`),
    );
  }

  async list<T extends DomainRecord>(table: Table<T>, options: ListOptions): Promise<T[]> {
    const key = this.keyColumn(table);
    const query = applyFilter(this.query(table), options.filter);
    if (options.after) query.andWhere(`r.${key} > :after`, { after: options.after });
    return this.load(table, query.orderBy(`r.${key}`).limit(options.first));
  }

  async count<T extends DomainRecord>(table: Table<T>, filter?: RecordFilter): Promise<number> {
    return applyFilter(this.query(table), filter).getCount();
  }

  async changesSince<T extends DomainRecord>(table: Table<T>, since: Date | null, options: ChangeOptions): Promise<T[]> {
    const key = this.keyColumn(table);
    const query = applyFilter(this.query(table), options.filter);
    if (options.after) {
      query.andWhere(`(r.modified_at, r.${key}) > (:afterAt, :afterKey)`, {
        afterAt: options.after.modifiedAt,
        afterKey: options.after.key,
      });
    }
    if (since) query.andWhere('r.modified_at >= :since', { since });
    return this.load(table, query.orderBy('r.modified_at').addOrderBy(`r.${key}`).limit(options.limit));
  }

  async lastChange<T extends DomainRecord>(table: Table<T>): Promise<ChangeCursor | null> {
    const key = this.keyColumn(table);
    const [last] = await this.load(table, this.query(table).orderBy('r.modified_at', 'DESC').addOrderBy(`r.${key}`, 'DESC').limit(1));
    return last ? { modifiedAt: last.modifiedAt as Date, key: this.keyOf(table, last) } : null;
  }

  async bulkUpsert<T extends DomainRecord>(table: Table<T>, records: readonly T[], modifiedBy: string): Promise<Date> {
    const now = new Date();
    if (records.length === 0) return now;
    await this.write([{ table, records }], { modifiedAt: now, modifiedBy });
    return now;
  }

  async bulkUpsertTogether(writes: readonly TableWrite[], modifiedBy: string): Promise<Date> {
    const now = new Date();
    await this.write(writes, { modifiedAt: now, modifiedBy }, { together: true });
    return now;
  }

  /**
   * Writes records that carry their own modified-at and modified-by (a mirror's copy of what a
   * product stamped), together with `also` (the mirror's bookkeeping) in one transaction.
   */
  async writeStamped(writes: readonly TableWrite[], also: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.write(writes, null, { together: true, also });
  }

  /** Upserts by key, stamping modified-at/by unless `stamp` is null; in one transaction when the writes stand together or a hook adds statements. */
  private async write(
    writes: readonly TableWrite[],
    stamp: { modifiedAt: Date; modifiedBy: string } | null,
    options: { together?: boolean; also?: (manager: EntityManager) => Promise<void> } = {},
  ): Promise<void> {
    const filled = writes.filter((write) => write.records.length > 0);
    const effects = filled.map((write) => this.writeEffects(write.table, write.records)).filter((effect) => effect !== null);
    if (!options.together && !options.also && effects.length === 0) {
      for (const { table, records } of filled) await this.upsert(this.dataSource.manager, table, records, stamp);
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      for (const { table, records } of filled) await this.upsert(manager, table, records, stamp);
      for (const effect of effects) await effect.inTransaction(manager);
      await options.also?.(manager);
    });
    for (const effect of effects) effect.afterCommit();
  }

  /** What else a write of these records changes in the same transaction (a number series' last number), or null. */
  protected writeEffects(_table: Table, _records: readonly DomainRecord[]): WriteEffects | null {
    return null;
  }

  private async upsert(manager: EntityManager, table: Table, records: readonly DomainRecord[], stamp: { modifiedAt: Date; modifiedBy: string } | null): Promise<void> {
    await bulkInsert(manager, this.metadata(table).target as new () => DomainRecord, records, { replaceOnConflict: true, sameForEveryRow: stamp ?? undefined });
  }

  abstract takeNumbers<T extends DomainRecord>(table: Table<T>, field: keyof T & string, count: number, preview?: NumberPreview): Promise<string[] | null>;

  async delete<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(this.metadata(table).target)
      .where(`${this.keyColumn(table)} = ANY(:keys::uuid[])`, { keys: [...keys] })
      .execute();
    return result.affected ?? 0;
  }
}
