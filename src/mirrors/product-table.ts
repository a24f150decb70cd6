import type { DomainRecord, TableDescriptor } from '../connectors/table-descriptor';

/**
 * How one of our tables lives in a product: its entity set, the fields the product spells
 * differently, and (Dataverse) which fields are lookups to other entity sets. A field not renamed
 * keeps its name in the product, as an API extension page or a custom column would publish it.
 */
export interface ProductTable {
  /** Our table's name. */
  readonly table: string;
  readonly entitySet: string;
  /** Our field → the product's field. */
  readonly renamed?: Readonly<Record<string, string>>;
  /** Dataverse: the table's primary key column (`accountid`), which holds our key. */
  readonly keyColumn?: string;
  /** Dataverse: our field → the entity set it points to; written as `x@odata.bind`, read as `_x_value`. */
  readonly lookups?: Readonly<Record<string, string>>;
  /** Business Central: our field holding the number or code unique in the entity set (its idempotent create looks it up). */
  readonly naturalKey?: string;
  /** Business Central: `/subscriptions` accepts the entity set (contacts and salespeople are not among the documented ones). */
  readonly webhooks?: boolean;
  /** Business Central: a document's lines table, created with the document in one deep insert; `documentField` is the lines' field holding the document's natural key. */
  readonly lines?: { readonly table: string; readonly documentField: string };
  /** Business Central: a lines table's field unique within its document (the line number, BC's `sequence`). */
  readonly documentKey?: string;
  /** Business Central: a lines table's document entity set and our field holding the document's number, filled from the line's `documentId` when the row lacks it (a line entered in BC). */
  readonly document?: { readonly entitySet: string; readonly numberField: string };
  /** Our field → our value → the product's value, where the product names an option otherwise (BC's line type `Item`). */
  readonly values?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Our fields the entity set implies, for rows that lack them (a `salesOrderLines` row is an order's line). */
  readonly implied?: Readonly<Record<string, unknown>>;
}

/** The product's name of a field: renamed, else lower-cased for Dataverse (its logical names are), else as it is. */
export function productField(map: ProductTable, field: string, lowerCase: boolean): string {
  return map.renamed?.[field] ?? (lowerCase ? field.toLowerCase() : field);
}

function toProductValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function fromProductValue(kind: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'timestamp') return new Date(String(value));
  if (kind === 'decimal' || kind === 'integer') return Number(value);
  if (kind === 'date') return String(value).slice(0, 10);
  return value;
}

function ourValue(map: ProductTable, field: string, value: unknown): unknown {
  const values = map.values?.[field];
  return values ? (Object.keys(values).find((ours) => values[ours] === value) ?? value) : value;
}

/** Our record as the product's row: every field but the key and the stamps the product sets. */
export function toProductRow(table: TableDescriptor, map: ProductTable, record: DomainRecord, lowerCase: boolean): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of table.fields.values()) {
    if (field.name === table.keyField || field.name === table.modifiedAtField || field.name === table.modifiedByField) continue;
    if (!(field.name in record)) continue;
    const value = record[field.name];
    const lookup = map.lookups?.[field.name];
    if (lookup) row[`${productField(map, field.name, lowerCase)}@odata.bind`] = value === null ? null : `/${lookup}(${value})`;
    else row[productField(map, field.name, lowerCase)] = toProductValue(typeof value === 'string' ? (map.values?.[field.name]?.[value] ?? value) : value);
  }
  return row;
}

/** The product's row as our record, over `base` (the mirror's copy or a blank record): fields the row lacks keep the base's values. */
export function fromProductRow(table: TableDescriptor, map: ProductTable, row: Record<string, unknown>, base: DomainRecord, lowerCase: boolean): DomainRecord {
  const record: DomainRecord = { ...base };
  for (const field of table.fields.values()) {
    if (field.name === table.keyField || field.name === table.modifiedAtField || field.name === table.modifiedByField) continue;
    const name = productField(map, field.name, lowerCase);
    const column = map.lookups?.[field.name] ? `_${name}_value` : name;
    if (column in row) record[field.name] = fromProductValue(field.kind, ourValue(map, field.name, row[column]));
    else if (map.implied && field.name in map.implied) record[field.name] = map.implied[field.name];
  }
  return record;
}
