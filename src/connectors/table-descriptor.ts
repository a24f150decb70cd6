import type { SystemName } from './system-name';

/** A record as the port carries it: plain field values under the domain's field names. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records are read by field name throughout the engine, whatever the table
export type DomainRecord = { [field: string]: any };

/** How a field's values are held: what a connector converts to and from its system's representation. */
export type FieldKind = 'key' | 'text' | 'integer' | 'decimal' | 'boolean' | 'timestamp' | 'date';

export interface FieldDescriptor {
  readonly name: string;
  readonly kind: FieldKind;
  /** The most characters a text field holds; null when not limited (or not text). */
  readonly maxLength: number | null;
  /** A record must hold a value in it (the key and the modified-at/by stamps excepted). */
  readonly required: boolean;
  /** A new record's value: the declared default, else zero, false or '' for a required field, null otherwise. */
  readonly defaultValue: unknown;
}

/**
 * One table of a system as the port knows it: its name, its key, the field its change feed is
 * ordered by, and its fields. `T` is the shape of its records, for callers that know it.
 */
export interface TableDescriptor<T extends DomainRecord = DomainRecord> {
  readonly system: SystemName;
  readonly name: string;
  readonly keyField: string;
  readonly modifiedAtField: string;
  readonly modifiedByField: string;
  readonly fields: ReadonlyMap<string, FieldDescriptor>;
  /** Never set: carries the record type. */
  readonly record?: T;
}
