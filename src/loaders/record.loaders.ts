import DataLoader from 'dataloader';
import type { DomainRecord, SystemConnector, Table } from '../connectors/system-connector';
import type { BatchWaves } from './batch-waves';
import { WaveReads } from './wave-reads';

/**
 * One system's records for one request: by key, and grouped by the value of any field (a code,
 * a parent reference). Loaders are made on first use and live as long as the request; the reads
 * of one wave go to the system in one statement. A table is its descriptor or its name
 * (`byField<SalesLine>('sales_line', 'no')`).
 */
export class RecordLoaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();
  private readonly reads: WaveReads;

  constructor(
    private readonly connector: SystemConnector,
    private readonly waves: BatchWaves,
  ) {
    this.reads = new WaveReads(connector);
  }

  byKey<T extends DomainRecord>(tableOrName: Table<T> | string): DataLoader<string, T | null> {
    const table = this.table(tableOrName);
    return this.memo(
      `key:${table.name}`,
      () =>
        new DataLoader<string, T | null>(
          this.waves.track(async (keys) => {
            const records = (await this.reads.read({ table, field: table.keyField, values: keys }, () => this.connector.getByKeys(table, keys))) as T[];
            const byKey = new Map(records.map((record) => [this.connector.keyOf(table, record), record]));
            return keys.map((key) => byKey.get(key) ?? null);
          }),
          { batchScheduleFn: this.waves.schedule },
        ),
    );
  }

  byField<T extends DomainRecord>(tableOrName: Table<T> | string, field: keyof T & string): DataLoader<unknown, T[]> {
    const table = this.table(tableOrName);
    return this.memo(
      `field:${table.name}.${field}`,
      () =>
        new DataLoader<unknown, T[]>(
          this.waves.track(async (values) => {
            const records = (await this.reads.read({ table, field, values }, () => this.connector.getByField(table, field, values))) as T[];
            const groups = groupBy(records, field);
            return values.map((value) => groups.get(value) ?? []);
          }),
          { batchScheduleFn: this.waves.schedule },
        ),
    );
  }

  /** Primes the key loader with records read by other means. */
  primeKeys<T extends DomainRecord>(tableOrName: Table<T> | string, records: readonly T[]): void {
    const table = this.table(tableOrName);
    const loader = this.byKey(table);
    for (const record of records) loader.prime(this.connector.keyOf(table, record), record);
  }

  /** Primes the field loader with every record whose `field` holds one of `values` (read in key order), an empty group for a value none holds. */
  primeField<T extends DomainRecord>(tableOrName: Table<T> | string, field: keyof T & string, values: readonly unknown[], records: readonly T[]): void {
    const loader = this.byField(tableOrName, field);
    const groups = groupBy(records, field);
    for (const value of values) loader.prime(value, groups.get(value) ?? []);
  }

  /** The record whose unique `field` (a code or a No.) has this value. */
  async oneByField<T extends DomainRecord>(table: Table<T> | string, field: keyof T & string, value: unknown): Promise<T | null> {
    if (value === null || value === undefined || value === '') return null;
    return (await this.byField(table, field).load(value))[0] ?? null;
  }

  /** Every record whose `field` holds one of `values`, flattened. */
  async allByField<T extends DomainRecord>(table: Table<T> | string, field: keyof T & string, values: readonly unknown[]): Promise<T[]> {
    const wanted = values.filter((value) => value !== null && value !== undefined && value !== '');
    const groups = await Promise.all(wanted.map((value) => this.byField(table, field).load(value)));
    return groups.flat();
  }

  private table<T extends DomainRecord>(table: Table<T> | string): Table<T> {
    return typeof table === 'string' ? this.connector.table<T>(table) : table;
  }

  private memo<L extends DataLoader<never, unknown>>(id: string, create: () => L): L {
    let loader = this.loaders.get(id);
    if (!loader) {
      loader = create() as unknown as DataLoader<unknown, unknown>;
      this.loaders.set(id, loader);
    }
    return loader as unknown as L;
  }
}

function groupBy<T extends DomainRecord>(records: readonly T[], field: keyof T & string): Map<unknown, T[]> {
  const groups = new Map<unknown, T[]>();
  for (const record of records) {
    const group = groups.get(record[field]);
    if (group) group.push(record);
    else groups.set(record[field], [record]);
  }
  return groups;
}
