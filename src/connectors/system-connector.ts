import type { RecordFilter } from '../../entities/integration/record-filter';
import type { SystemName } from './system-name';
import type { DomainRecord, TableDescriptor } from './table-descriptor';

export type { SystemName } from './system-name';
export type { DomainRecord } from './table-descriptor';

/** A table as callers hold it: its descriptor, got from the connector by name. */
export type Table<T extends DomainRecord = DomainRecord> = TableDescriptor<T>;

/** Records to write to one table. */
export interface TableWrite {
  readonly table: Table<DomainRecord>;
  readonly records: readonly DomainRecord[];
}

/** A position in a keyset: the last record a page or a change feed returned. */
export interface ChangeCursor {
  readonly modifiedAt: Date;
  readonly key: string;
}

/** A look at a number series without taking from it: the numbers after the first `after` it would give. */
export interface NumberPreview {
  readonly after: number;
}

export interface ListOptions {
  readonly filter?: RecordFilter;
  readonly first: number;
  /** Key of the last record of the previous page; records are ordered by key. */
  readonly after?: string | null;
}

/**
 * Records of a table whose `field` holds one of `values`: given, or the values of `from.field` in
 * the records of an earlier read of the same batch (a customer's salesperson by its code).
 */
export interface RecordRead {
  readonly table: Table;
  readonly field: string;
  readonly values: readonly unknown[] | { readonly from: number; readonly field: string };
}

export interface ChangeOptions {
  readonly filter?: RecordFilter;
  readonly limit: number;
  /** Resume after this record within the same modified-at. */
  readonly after?: ChangeCursor | null;
}

/**
 * The only way the graph and the sync engine reach a system. Every operation works on batches,
 * so callers never need one round trip per record. Tables are descriptors and records plain
 * objects: nothing here belongs to one storage, so a connector to a real product's web API
 * implements the same interface.
 */
export interface SystemConnector {
  readonly system: SystemName;

  /** The stable key of a record (ERP: SystemId; CRM: the GUID). */
  keyOf<T extends DomainRecord>(table: Table<T>, record: T): string;

  /** Resolves a table mapping's table name to the table; throws BAD_USER_INPUT for a name the system lacks. */
  table<T extends DomainRecord = DomainRecord>(name: string): Table<T>;

  /** A new record with the given key: the column defaults, else zero, false or '' (null for references). */
  blankRecord<T extends DomainRecord>(table: Table<T>, key: string): T;

  /** Fields the record must have but holds null in. */
  missingRequired<T extends DomainRecord>(table: Table<T>, record: DomainRecord): string[];

  /** The most characters a text field holds, or null when it is not limited (or not text). */
  maxLength<T extends DomainRecord>(table: Table<T>, field: string): number | null;

  /** Throws BAD_USER_INPUT unless the filter can be applied to the table. */
  checkFilter<T extends DomainRecord>(table: Table<T>, filter: RecordFilter): void;

  /** Records with these keys, in no particular order; unknown keys are simply absent. */
  getByKeys<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<T[]>;

  /** Which of these keys exist, without loading the records. */
  existingKeys<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<Set<string>>;

  /** Records whose `field` holds one of `values` (a code, a parent reference…). */
  getByField<T extends DomainRecord>(table: Table<T>, field: keyof T & string, values: readonly unknown[]): Promise<T[]>;

  /**
   * Several reads in one round trip, each answered as `getByField` would answer it alone (in key
   * order): a page's records and the records they refer to, without waiting for each other.
   */
  readTogether(reads: readonly RecordRead[]): Promise<DomainRecord[][]>;

  /** A page of records matching the filter, in key order. */
  list<T extends DomainRecord>(table: Table<T>, options: ListOptions): Promise<T[]>;

  count<T extends DomainRecord>(table: Table<T>, filter?: RecordFilter): Promise<number>;

  /** Records modified at or after `since` (all when null), ordered by modified-at then key. */
  changesSince<T extends DomainRecord>(table: Table<T>, since: Date | null, options: ChangeOptions): Promise<T[]>;

  /** Where the change feed ends now: the newest record's position, or null for an empty table. */
  lastChange<T extends DomainRecord>(table: Table<T>): Promise<ChangeCursor | null>;

  /**
   * Inserts or replaces records by key in one statement per chunk, stamping modified-at/by;
   * returns the modified-at it stamped.
   */
  bulkUpsert<T extends DomainRecord>(table: Table<T>, records: readonly T[], modifiedBy: string): Promise<Date>;

  /**
   * Like bulkUpsert, for records of several tables that stand or fall together (a document's
   * header and lines): all are written, or none.
   */
  bulkUpsertTogether(writes: readonly TableWrite[], modifiedBy: string): Promise<Date>;

  /**
   * `count` numbers for new records of the table from the number series that numbers them
   * (Business Central's No. Series), none held by a record yet; null when no series numbers it.
   * With `preview`, the numbers a take would give, leaving the series as it is (a dry run).
   */
  takeNumbers<T extends DomainRecord>(table: Table<T>, field: keyof T & string, count: number, preview?: NumberPreview): Promise<string[] | null>;

  /** Deletes records by key; returns how many existed. */
  delete<T extends DomainRecord>(table: Table<T>, keys: readonly string[]): Promise<number>;
}
