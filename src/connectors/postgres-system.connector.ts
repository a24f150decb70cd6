import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';
import type { RecordFilter } from '../../entities/integration/record-filter';
import { badInput } from '../errors/domain-error';
import { bulkInsert } from '../db/bulk-insert';
import { applyFilter, checkFilter } from './filter-sql';
import type { ChangeCursor, ChangeOptions, ListOptions, SystemConnector, SystemName, Table, TableWrite } from './system-connector';

const STAMPED = new Set(['modifiedAt', 'modifiedBy']);

interface TableShape {
  /** A new record's values, but for its key. */
  readonly blank: Readonly<ObjectLiteral>;
  /** Fields a record must hold a value in. */
  readonly required: readonly string[];
}

/**
 * A system's model stored in PostgreSQL, one table per record type. The ERP and the CRM
 * connectors are this with their own data source and key column.
 */
export abstract class PostgresSystemConnector implements SystemConnector {
  abstract readonly system: SystemName;
  protected abstract readonly keyProperty: string;

  private readonly shapes = new Map<Table<ObjectLiteral>, TableShape>();

  constructor(protected readonly dataSource: DataSource) {}

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
      const blank: ObjectLiteral = {};
      for (const column of columns) {
        const type = String(column.type);
        const fallback = type === 'boolean' ? false : type === 'numeric' || type === 'int' ? 0 : type === 'uuid' ? null : '';
        const declared = typeof column.default === 'function' ? undefined : column.default;
        blank[column.propertyName] = column.isNullable ? null : (declared ?? fallback);
      }
      // Modified-at and modified-by are stamped by bulkUpsert.
      const required = columns.filter((column) => !STAMPED.has(column.propertyName) && !column.isNullable).map((column) => column.propertyName);
      shape = { blank, required };
      this.shapes.set(table, shape);
    }
    return shape;
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
    return this.query(table).where(`r.${this.keyColumn(table)} = ANY(:keys::uuid[])`, { keys: [...new Set(keys)] }).getMany();
  }

  async existingKeys<T extends ObjectLiteral>(table: Table<T>, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const metadata = this.metadata(table);
    const key = this.keyColumn(table);
    const rows: Array<{ key: string }> = await this.dataSource.query(
      `SELECT ${key} AS key FROM "${metadata.schema}"."${metadata.tableName}" WHERE ${key} = ANY($1::uuid[])`,
      [[...new Set(keys)]],
    );
    return new Set(rows.map((row) => row.key));
  }

  async getByField<T extends ObjectLiteral>(table: Table<T>, field: keyof T & string, values: readonly unknown[]): Promise<T[]> {
    if (values.length === 0) return [];
    const column = this.metadata(table).findColumnWithPropertyName(field);
    if (!column) throw badInput(`Unknown field "${field}" on ${this.metadata(table).tableName}`, { field });
    return this.query(table)
      .where(`r.${column.databaseName} = ANY(:values)`, { values: [...new Set(values)] })
      .orderBy(`r.${this.keyColumn(table)}`)
      .getMany();
  }

  async list<T extends ObjectLiteral>(table: Table<T>, options: ListOptions): Promise<T[]> {
    const key = this.keyColumn(table);
    const query = applyFilter(this.query(table), options.filter);
    if (options.after) query.andWhere(`r.${key} > :after`, { after: options.after });
    return query.orderBy(`r.${key}`).limit(options.first).getMany();
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
    return query.orderBy('r.modified_at').addOrderBy(`r.${key}`).limit(options.limit).getMany();
  }

  async lastChange<T extends ObjectLiteral>(table: Table<T>): Promise<ChangeCursor | null> {
    const key = this.keyColumn(table);
    const [last] = await this.query(table).orderBy('r.modified_at', 'DESC').addOrderBy(`r.${key}`, 'DESC').limit(1).getMany();
    return last ? { modifiedAt: last.modifiedAt as Date, key: this.keyOf(table, last) } : null;
  }

  async bulkUpsert<T extends ObjectLiteral>(table: Table<T>, records: readonly T[], modifiedBy: string): Promise<Date> {
    const now = new Date();
    if (records.length === 0) return now;
    await bulkInsert(this.dataSource.manager, table, records, { replaceOnConflict: true, sameForEveryRow: { modifiedAt: now, modifiedBy } });
    return now;
  }

  async bulkUpsertTogether(writes: readonly TableWrite[], modifiedBy: string): Promise<Date> {
    const now = new Date();
    await this.dataSource.transaction(async (manager) => {
      for (const { table, records } of writes) {
        if (records.length > 0) await bulkInsert(manager, table, records, { replaceOnConflict: true, sameForEveryRow: { modifiedAt: now, modifiedBy } });
      }
    });
    return now;
  }

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
