/** A value in an OData `$filter`: strings are quoted, GUIDs and numbers are not. */
export type FilterValue = string | number | boolean | null | Date | { readonly guid: string };

/** One comparison of a `$filter`; comparisons of a filter are joined with `and`. */
export interface Comparison {
  readonly field: string;
  readonly op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
  readonly value: FilterValue;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws unless the name can stand in a URL as a property name. */
export function checkField(field: string): string {
  if (!FIELD.test(field)) throw new TypeError(`not a property name: ${JSON.stringify(field)}`);
  return field;
}

export function checkGuid(id: string): string {
  if (!GUID.test(id)) throw new TypeError(`not a GUID: ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

export function literal(value: FilterValue): string {
  if (value === null) return 'null';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return checkGuid(value.guid);
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
  return String(value);
}

export function filterExpression(comparisons: readonly Comparison[]): string {
  return comparisons.map((c) => `${checkField(c.field)} ${c.op} ${literal(c.value)}`).join(' and ');
}

/** `field in (…)` for engines without `in`: the values joined with `or`, in parentheses. */
export function anyOf(field: string, values: readonly FilterValue[]): string {
  return `(${values.map((value) => `${checkField(field)} eq ${literal(value)}`).join(' or ')})`;
}
