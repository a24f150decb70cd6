import type { RecordFilter } from '../../entities/integration/record-filter';
import { badInput } from '../errors/domain-error';
import type { PostgresSystemConnector } from '../connectors/postgres-system.connector';
import type { ChangeCursor, ChangeOptions, DomainRecord, ListOptions, NumberPreview, RecordRead, SystemConnector, Table, TableWrite } from '../connectors/system-connector';
import type { MirrorBook, MirroredVersion } from './mirror-book';
import type { TableTurns } from './table-turns';
import type { DocumentWrite, Product, ProductWrite, ProductWriteResult } from './product';
import { fromProductRow, toProductRow, type ProductTable } from './product-table';

interface WrittenTable {
  readonly table: Table;
  readonly map: ProductTable;
  readonly records: readonly DomainRecord[];
  readonly written: ProductWriteResult['written'];
}

function latestOf(written: ProductWriteResult['written']): Date {
  return new Date(Math.max(...written.map((version) => version.modifiedAt.getTime())));
}

/**
 * A real product behind its PostgreSQL mirror. Reads (the graph's, the engine's) go to the mirror;
 * every write to a table the product holds goes to the product first and then into the mirror
 * from the product's answer: its ids, numbers, ETags and the modified-at it stamped, with the
 * writer as modified-by. Tables the product does not hold (see product-tables.ts) are the
 * gateway's own and written to the mirror only.
 */
export class MirroredConnector implements SystemConnector {
  readonly system;
  private readonly covered: ReadonlyMap<string, ProductTable>;

  constructor(
    readonly mirror: PostgresSystemConnector,
    readonly product: Product,
    private readonly book: MirrorBook,
    tables: readonly ProductTable[],
    private readonly turns: TableTurns,
  ) {
    this.system = mirror.system;
    this.covered = new Map(tables.map((map) => [map.table, map]));
  }

  /** The product's entity set for the table, or null when the table is the gateway's own. */
  productTable(table: Table): ProductTable | null {
    return this.covered.get(table.name) ?? null;
  }

  keyOf<T extends DomainRecord>(table: Table<T>, record: T): string {
    return this.mirror.keyOf(table, record);
  }

  table<T extends DomainRecord = DomainRecord>(name: string): Table<T> {
    return this.mirror.table<T>(name);
  }

  blankRecord<T extends DomainRecord>(table: Table<T>, key: string): T {
    return this.mirror.blankRecord(table, key);
  }

  missingRequired<T extends DomainRecord>(table: Table<T>, record: DomainRecord): string[] {
    return this.mirror.missingRequired(table, record);
  }

  maxLength<T extends DomainRecord>(table: Table<T>, field: string): number | null {
    return this.mirror.maxLength(table, field);
  }

  checkFilter<T extends DomainRecord>(table: Table<T>, filter: RecordFilter): void {
    this.mirror.checkFilter(table, filter);
  }

  getByKeys<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<T[]> {
    return this.mirror.getByKeys(table, keys);
  }

  existingKeys<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<Set<string>> {
    return this.mirror.existingKeys(table, keys);
  }

  getByField<T extends DomainRecord>(table: Table<T>, field: keyof T & string, values: readonly unknown[]): Promise<T[]> {
    return this.mirror.getByField(table, field, values);
  }

  readTogether(reads: readonly RecordRead[]): Promise<DomainRecord[][]> {
    return this.mirror.readTogether(reads);
  }

  list<T extends DomainRecord>(table: Table<T>, options: ListOptions): Promise<T[]> {
    return this.mirror.list(table, options);
  }

  count<T extends DomainRecord>(table: Table<T>, filter?: RecordFilter): Promise<number> {
    return this.mirror.count(table, filter);
  }

  changesSince<T extends DomainRecord>(table: Table<T>, since: Date | null, options: ChangeOptions): Promise<T[]> {
    return this.mirror.changesSince(table, since, options);
  }

  lastChange<T extends DomainRecord>(table: Table<T>): Promise<ChangeCursor | null> {
    return this.mirror.lastChange(table);
  }

  takeNumbers<T extends DomainRecord>(table: Table<T>, field: keyof T & string, count: number, preview?: NumberPreview): Promise<string[] | null> {
    return this.mirror.takeNumbers(table, field, count, preview);
  }

  /** Returns the latest modified-at the product stamped on the records. */
  async bulkUpsert<T extends DomainRecord>(table: Table<T>, records: readonly T[], modifiedBy: string): Promise<Date> {
    const map = this.productTable(table);
    if (!map) return this.mirror.bulkUpsert(table, records, modifiedBy);
    if (records.length === 0) return new Date();
    return this.turns.take(table.name, () => this.writeThrough(table, map, records, modifiedBy));
  }

  private async writeThrough<T extends DomainRecord>(table: Table<T>, map: ProductTable, records: readonly T[], modifiedBy: string): Promise<Date> {
    const held = await this.book.versionsByKey(
      table.name,
      records.map((record) => this.keyOf(table, record)),
    );
    const writes = this.productWrites(table, map, records, held);
    const result = await this.product.write(map, writes);
    await this.mirrorWritten([{ table, map, records, written: result.written }], modifiedBy);
    if (result.error) throw result.error;
    return latestOf(result.written);
  }

  private productWrites<T extends DomainRecord>(table: Table<T>, map: ProductTable, records: readonly T[], held: ReadonlyMap<string, MirroredVersion>): ProductWrite[] {
    return records.map((record) => {
      const key = this.keyOf(table, record);
      const version = held.get(key);
      return {
        key,
        // Dataverse takes our ids; Business Central gives its own, known once the record is there.
        productId: version?.productId ?? (this.product.kind === 'dataverse' ? key : null),
        etag: version?.etag ?? null,
        row: toProductRow(table, map, record, this.product.lowerCaseFields),
      };
    });
  }

  /** The product's answers into the mirror, with the versions it stamped, in one transaction. */
  private async mirrorWritten(tables: readonly WrittenTable[], modifiedBy: string): Promise<void> {
    const stamped = tables.map(({ table, map, records, written }) => {
      const given = new Map(records.map((record) => [this.keyOf(table, record), record]));
      const mirrored = written.map((version) => ({
        ...fromProductRow(table, map, version.row, given.get(version.key)!, this.product.lowerCaseFields),
        [table.keyField]: version.key,
        [table.modifiedAtField]: version.modifiedAt,
        [table.modifiedByField]: modifiedBy,
      }));
      const versions: MirroredVersion[] = written.map((version) => ({
        key: version.key,
        productId: version.productId,
        etag: version.etag,
        productModifiedAt: version.modifiedAt,
      }));
      return { table, records: mirrored, versions };
    });
    await this.mirror.writeStamped(
      stamped.map(({ table, records }) => ({ table, records })),
      async (manager) => {
        for (const { table, versions } of stamped) await this.book.record(manager, table.name, versions);
      },
    );
  }

  /**
   * New documents of the writes with their lines, one product write each (Business Central's deep
   * insert); returns the writes left for table-by-table writing and the latest stamp.
   */
  private async writeNewDocuments(writes: readonly TableWrite[], modifiedBy: string): Promise<{ rest: TableWrite[]; latest: number }> {
    const documentWrite = writes.find((write) => this.productTable(write.table)?.lines);
    const map = documentWrite && this.productTable(documentWrite.table)!;
    const linesWrite = map && writes.find((write) => write.table.name === map.lines!.table);
    const linesMap = linesWrite && this.productTable(linesWrite.table);
    if (!this.product.writeDocuments || !documentWrite || !map || !linesWrite || !linesMap) return { rest: [...writes], latest: 0 };
    const { table, records } = documentWrite;
    return this.turns.take(table.name, () =>
      this.turns.take(linesWrite.table.name, async () => {
        const held = await this.book.versionsByKey(
          table.name,
          records.map((record) => this.keyOf(table, record)),
        );
        const fresh = records.filter((record) => !held.has(this.keyOf(table, record)));
        const numbers = new Set(fresh.map((record) => String(record[map.naturalKey!])));
        const freshLines = linesWrite.records.filter((line) => numbers.has(String(line[map.lines!.documentField])));
        const rest = writes.flatMap((write) => {
          const left =
            write === documentWrite
              ? records.filter((record) => !fresh.includes(record))
              : write === linesWrite
                ? linesWrite.records.filter((line) => !freshLines.includes(line))
                : write.records;
          return left.length > 0 ? [{ table: write.table, records: left }] : [];
        });
        if (fresh.length === 0) return { rest, latest: 0 };
        const documentRows = this.productWrites(table, map, fresh, new Map());
        const lineRows = this.productWrites(linesWrite.table, linesMap, freshLines, new Map());
        const documents: DocumentWrite[] = documentRows.map((document, index) => ({
          document,
          lines: lineRows.filter((_, at) => String(freshLines[at]![map.lines!.documentField]) === String(fresh[index]![map.naturalKey!])),
        }));
        const result = await this.product.writeDocuments!(map, linesMap, documents);
        await this.mirrorWritten(
          [
            { table, map, records: fresh, written: result.documents },
            { table: linesWrite.table, map: linesMap, records: freshLines, written: result.lines },
          ],
          modifiedBy,
        );
        if (result.error) throw result.error;
        return { rest, latest: latestOf([...result.documents, ...result.lines]).getTime() };
      }),
    );
  }

  /**
   * All or none in the mirror. The product holds no transaction across tables, so records of
   * tables it holds are written table by table: a failure leaves the earlier tables written.
   */
  async bulkUpsertTogether(writes: readonly TableWrite[], modifiedBy: string): Promise<Date> {
    if (writes.every((write) => !this.productTable(write.table))) return this.mirror.bulkUpsertTogether(writes, modifiedBy);
    for (const { table, records } of writes) {
      for (const record of records) {
        const missing = this.missingRequired(table, record);
        if (missing.length > 0) throw badInput(`A ${table.name} record lacks ${missing.join(', ')}: nothing was written`, { table: table.name, missing });
      }
    }
    const documents = await this.writeNewDocuments(writes, modifiedBy);
    // One product write per table: Dataverse writes each in one change set (all or nothing).
    const byTable = new Map<Table, DomainRecord[]>();
    for (const { table, records } of documents.rest) byTable.set(table, [...(byTable.get(table) ?? []), ...records]);
    let latest = documents.latest;
    for (const [table, records] of byTable) latest = Math.max(latest, (await this.bulkUpsert(table, records, modifiedBy)).getTime());
    return new Date(latest);
  }

  async delete<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<number> {
    const map = this.productTable(table);
    if (map && keys.length > 0) {
      const held = await this.book.versionsByKey(table.name, keys);
      const productIds = keys.flatMap((key) => {
        const productId = held.get(key)?.productId ?? (this.product.kind === 'dataverse' ? key : null);
        return productId ? [productId] : [];
      });
      await this.product.delete(map, productIds);
    }
    const existed = await this.mirror.delete(table, keys);
    if (map) await this.mirror.writeStamped([], (manager) => this.book.forget(manager, table.name, keys));
    return existed;
  }
}
