import type { DataSource, EntityManager, EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { RecordFilter } from '../../entities/integration/record-filter';
import { badInput } from '../errors/domain-error';
import { bulkInsert } from '../db/bulk-insert';
import { applyFilter, checkFilter } from './filter-sql';
import type { ChangeCursor, ChangeOptions, ListOptions, NumberPreview, SystemConnector, SystemName, Table, TableWrite } from './system-connector';

const STAMPED = new Set(['modifiedAt', 'modifiedBy']);

interface TableShape {
  /** A new record's values, but for its key. */
  readonly blank: Readonly<ObjectLiteral>;
  /** Fields a record must hold a value in. */
  readonly required: readonly string[];
  /** Every column under its property name, so that pg's rows are the records. */
  readonly selection: string;
  /** Columns whose values pg does not hand over as the entity holds them (dates, decimals). */
  readonly converted: readonly ColumnMetadata[];
}

/** Column types pg parses into the very values TypeORM would hydrate. */
const AS_PARSED = new Set<unknown>(['uuid', 'varchar', 'character varying', 'text', 'int', 'integer', 'boolean', 'timestamptz', 'timestamp with time zone']);

/**
 * A system's model stored in PostgreSQL, one table per record type. The ERP and the CRM
 * connectors are this with their own data source and key column.
 */
export abstract class PostgresSystemConnector implements SystemConnector {
  abstract readonly system: SystemName;
  protected abstract readonly keyProperty: string;

  private readonly shapes = new Map<Table<ObjectLiteral>, TableShape>();

  constructor(protected readonly dataSource: DataSource) {}

  /** The table's name in its schema, as SQL. */
  protected qualifiedName<T extends ObjectLiteral>(table: Table<T>): string {
    const metadata = this.metadata(table);
    return `"${metadata.schema}"."${metadata.tableName}"`;
  }

  /** The column of a property, as SQL. */
  protected columnOf<T extends ObjectLiteral>(table: Table<T>, field: string): string {
    const column = this.metadata(table).findColumnWithPropertyName(field);
    if (!column) throw badInput(`Unknown field "${field}" on ${this.metadata(table).tableName}`, { field });
    return `"${column.databaseName}"`;
  }

  keyOf<T extends ObjectLiteral>(_table: Table<T>, record: T): string {
    return record[this.keyProperty] as string;
  }

  table(name: string): Table<ObjectLiteral> {
    const metadata = this.dataSource.entityMetadatas.find((m) => m.tableName === name || m.name === name);
    if (!metadata) throw badInput(`The ${this.system.toUpperCase()} has no table "${name}"`, { table: name });
    return metadata.target as Table<ObjectLiteral>;
  }

  private metadata<T extends ObjectLiteral>(table: Table<T>): EntityMetadata {
    return this.dataSource.getMetadata(table);
  }

  private keyColumn<T extends ObjectLiteral>(table: Table<T>): string {
    return this.metadata(table).findColumnWithPropertyName(this.keyProperty)!.databaseName;
  }

  private query<T extends ObjectLiteral>(table: Table<T>) {
    return this.dataSource.getRepository(table).createQueryBuilder('r');
  }

  blankRecord<T extends ObjectLiteral>(table: Table<T>, key: string): T {
    return { ...this.shapeOf(table).blank, [this.keyProperty]: key } as T;
  }

  missingRequired<T extends ObjectLiteral>(table: Table<T>, record: ObjectLiteral): string[] {
    return this.shapeOf(table).required.filter((property) => record[property] === null || record[property] === undefined);
  }

  /** What blankRecord and missingRequired need of a table, worked out from its metadata once: they run per record. */
  private shapeOf<T extends ObjectLiteral>(table: Table<T>): TableShape {
    let shape = this.shapes.get(table);
    if (!shape) {
      const columns = this.metadata(table).columns;
      // Built in one go: an object given more than a dozen properties one by one falls into V8's dictionary mode, and every copy of it is then slow.
      const blank: ObjectLiteral = Object.fromEntries(
        columns.map((column) => {
          const type = String(column.type);
          const fallback = type === 'boolean' ? false : type === 'numeric' || type === 'int' ? 0 : type === 'uuid' ? null : '';
          const declared = typeof column.default === 'function' ? undefined : column.default;
          return [column.propertyName, column.isNullable ? null : (declared ?? fallback)];
        }),
      );
      // Modified-at and modified-by are stamped by bulkUpsert.
      const required = columns.filter((column) => !STAMPED.has(column.propertyName) && !column.isNullable).map((column) => column.propertyName);
      const selection = columns.map((column) => `"r"."${column.databaseName}" AS "${column.propertyName}"`).join(', ');
      const converted = columns.filter((column) => column.transformer || !AS_PARSED.has(column.type));
      shape = { blank, required, selection, converted };
      this.shapes.set(table, shape);
    }
    return shape;
  }

  /**
   * Runs a query for whole records. TypeORM's entity hydration costs more than the query itself on
   * a synchronisation chunk, so pg's rows, selected under the property names, are the records; the
   * few columns pg parses differently go through the driver's conversion.
   */
  private async load<T extends ObjectLiteral>(table: Table<T>, query: SelectQueryBuilder<T>): Promise<T[]> {
    const { selection, converted } = this.shapeOf(table);
    const [sql, parameters] = query.select(selection).getQueryAndParameters();
    const records: T[] = await this.dataSource.query(sql, parameters);
    if (converted.length === 0) return records;
    const { driver } = this.dataSource;
    for (const record of records) {
      for (const column of converted) (record as ObjectLiteral)[column.propertyName] = driver.prepareHydratedValue(record[column.propertyName], column);
    }
    return records;
  }

  maxLength<T extends ObjectLiteral>(table: Table<T>, field: string): number | null {
    const length = this.metadata(table).findColumnWithPropertyName(field)?.length;
    return length ? Number(length) : null;
  }

  checkFilter<T extends ObjectLiteral>(table: Table<T>, filter: RecordFilter): void {
    checkFilter(this.metadata(table), filter);
  }

  async getByKeys<T extends ObjectLiteral>(table: Table<T>, keys: readonly string[]): Promise<T[]> {
    if (keys.length === 0) return [];
    return this.load(table, this.query(table).where(`r.${this.keyColumn(table)} = ANY(:keys::uuid[])`, { keys: [...new Set(keys)] }));
  }

  async existingKeys<T extends ObjectLiteral>(table: Table<T>, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const metadata = this.metadata(table);
    const key = this.keyColumn(table);
    const rows: Array<{ key: string }> = await this.dataSource.query(`SELECT ${key} AS key FROM "${metadata.schema}"."${metadata.tableName}" WHERE ${key} = ANY($1::uuid[])`, [
      [...new Set(keys)],
    ]);
    return new Set(rows.map((row) => row.key));
  }

  async getByField<T extends ObjectLiteral>(table: Table<T>, field: keyof T & string, values: readonly unknown[]): Promise<T[]> {
    if (values.length === 0) return [];
    const column = this.metadata(table).findColumnWithPropertyName(field);
    if (!column) throw badInput(`Unknown field "${field}" on ${this.metadata(table).tableName}`, { field });
    return this.load(
      table,
      this.query(table)
        .where(`r.${column.databaseName} = ANY(:values)`, { values: [...new Set(values)] })
        .orderBy(`r.${this.keyColumn(table)}`),
    );
  }

  async list<T extends ObjectLiteral>(table: Table<T>, options: ListOptions): Promise<T[]> {
    const key = this.keyColumn(table);
    const query = applyFilter(this.query(table), options.filter);
    if (options.after) query.andWhere(`r.${key} > :after`, { after: options.after });
    return this.load(table, query.orderBy(`r.${key}`).limit(options.first));
  }

  async count<T extends ObjectLiteral>(table: Table<T>, filter?: RecordFilter): Promise<number> {
    return applyFilter(this.query(table), filter).getCount();
  }

  async changesSince<T extends ObjectLiteral>(table: Table<T>, since: Date | null, options: ChangeOptions): Promise<T[]> {
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

  async lastChange<T extends ObjectLiteral>(table: Table<T>): Promise<ChangeCursor | null> {
    const key = this.keyColumn(table);
    const [last] = await this.load(table, this.query(table).orderBy('r.modified_at', 'DESC').addOrderBy(`r.${key}`, 'DESC').limit(1));
    return last ? { modifiedAt: last.modifiedAt as Date, key: this.keyOf(table, last) } : null;
  }

  async bulkUpsert<T extends ObjectLiteral>(table: Table<T>, records: readonly T[], modifiedBy: string): Promise<Date> {
    const now = new Date();
    if (records.length === 0) return now;
    await this.upsert(this.dataSource.manager, table, records, modifiedBy, now);
    return now;
  }

  protected async upsert<T extends ObjectLiteral>(manager: EntityManager, table: Table<T>, records: readonly T[], modifiedBy: string, now: Date): Promise<void> {
    await bulkInsert(manager, table, records, { replaceOnConflict: true, sameForEveryRow: { modifiedAt: now, modifiedBy } });
  }

  async bulkUpsertTogether(writes: readonly TableWrite[], modifiedBy: string): Promise<Date> {
    const now = new Date();
    await this.dataSource.transaction(async (manager) => {
      for (const { table, records } of writes) {
        if (records.length > 0) await this.upsert(manager, table, records, modifiedBy, now);
      }
    });
    return now;
  }

  abstract takeNumbers<T extends ObjectLiteral>(table: Table<T>, field: keyof T & string, count: number, preview?: NumberPreview): Promise<string[] | null>;

  async delete<T extends ObjectLiteral>(table: Table<T>, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(table)
      .where(`${this.keyColumn(table)} = ANY(:keys::uuid[])`, { keys: [...keys] })
      .execute();
    return result.affected ?? 0;
  }
}
