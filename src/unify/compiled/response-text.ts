import type { ConnectionEntry, EdgeEntry, LeafCheck, PageInfoEntry, ResponseEntry } from './response-shape';

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Numbers JSON.stringify writes as PostgreSQL does (trailing zeros trimmed): Int with at most 9
 * digits (within 32 bits); Float with at most 15 digits (a double keeps them, so the shortest
 * form that reads back is the same digits) and not below 1e-6 (JSON.stringify writes 1e-7).
 */
const INT = `'^-?(0|[1-9][0-9]{0,8})$'`;
const FLOAT = `'^-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?$'`;
const FLOAT_TOO_SMALL = `'^-?0\\.0{6}'`;
/** The form the DateTimeISO scalar writes as it is (see date-time-scalar.ts). */
const TIME = `'^"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z"$'`;

/**
 * Writes, as SQL, the exact text graphql-js and JSON.stringify would make of a compiled record's
 * JSON for a selection: keys under their response names in selection order, `__typename`s, and
 * each leaf only when its value is what its type writes unchanged. Anything else (a value of
 * another JSON type, a number JSON.stringify would write otherwise, a null where the schema says
 * non-null, a key the record lacks) makes the whole text NULL, and the caller answers through
 * graphql-js instead, which writes that value or reports that error as it always has.
 */
class ResponseText {
  private aliases = 0;

  object(value: string, entries: readonly ResponseEntry[]): string {
    return members(entries.map((entry) => [entry.key, this.entry(value, entry)]));
  }

  private entry(value: string, entry: ResponseEntry): string {
    if (entry.kind === 'typename') return literal(JSON.stringify(entry.typeName));
    const field = `(${value}->${literal(entry.field)})`;
    const orNull = entry.nonNull ? '' : ` WHEN 'null' THEN 'null'`;
    if (entry.kind === 'leaf') return `CASE jsonb_typeof(${field}) ${leaf(field, entry.check)}${orNull} END`;
    if (entry.kind === 'object') return `CASE jsonb_typeof(${field}) WHEN 'object' THEN ${this.object(field, entry.entries)}${orNull} END`;
    const n = (this.aliases += 1);
    const item = `CASE jsonb_typeof(e${n}) WHEN 'object' THEN ${this.object(`e${n}`, entry.entries)}${entry.itemNonNull ? '' : ` WHEN 'null' THEN 'null'`} END`;
    return `CASE jsonb_typeof(${field}) WHEN 'array' THEN (
        SELECT CASE WHEN count(*) = count(t${n}) THEN '[' || coalesce(string_agg(t${n}, ',' ORDER BY o${n}), '') || ']' END
        FROM (SELECT ${item} AS t${n}, o${n} FROM jsonb_array_elements(${field}) WITH ORDINALITY a${n}(e${n}, o${n})) z${n})${orNull} END`;
  }

  /**
   * A unified list's connection over `rows` (k: sort key, i: integration record id, v: the record
   * as jsonb or null, one more row than the page holds): edges for the page's records, pageInfo
   * and cursors as UnifiedRecords.list gives them.
   */
  connection(rows: string, first: number, hasPreviousPage: boolean, entries: readonly ConnectionEntry[]): string {
    const edges = entries.flatMap((entry) => (entry.kind === 'edges' ? entry.edge : []));
    const edge = members(edges.map((entry) => [entry.key, this.edgeEntry(entry)]));
    const connection = members(
      entries.map((entry) => [
        entry.key,
        entry.kind === 'typename'
          ? literal(JSON.stringify(entry.typeName))
          : entry.kind === 'edges'
            ? `'[' || coalesce(string_agg(t, ',' ORDER BY n), '') || ']'`
            : members(entry.entries.map((info) => [info.key, pageInfo(info, first, hasPreviousPage)])),
      ]),
    );
    // encodeCursor: base64url of the JSON array [sort key, id].
    const cursor = `translate(encode(convert_to('[' || to_json(k::text)::text || ',' || to_json(i::text)::text || ']', 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
    return `SELECT CASE WHEN count(*) FILTER (WHERE edge) = count(t) THEN ${connection} END
      FROM (SELECT n, total, cursor, edge, CASE WHEN edge THEN ${edge} END AS t
        FROM (SELECT n, count(*) OVER () AS total, ${cursor} AS cursor, v, n <= ${first} AND v IS NOT NULL AS edge
          FROM (SELECT row_number() OVER (ORDER BY k, i) AS n, k, i, v FROM (${rows}) page_rows) numbered) with_cursors) edges`;
  }

  private edgeEntry(entry: EdgeEntry): string {
    if (entry.kind === 'typename') return literal(JSON.stringify(entry.typeName));
    if (entry.kind === 'cursor') return `'"' || cursor || '"'`;
    return this.object('v', entry.entries);
  }
}

function pageInfo(entry: PageInfoEntry, first: number, hasPreviousPage: boolean): string {
  const cursorAt = (row: string) => `coalesce('"' || min(cursor) FILTER (WHERE n = ${row} AND n <= ${first}) || '"', 'null')`;
  switch (entry.kind) {
    case 'typename':
      return literal(JSON.stringify(entry.typeName));
    case 'hasNextPage':
      return `CASE WHEN count(*) > ${first} THEN 'true' ELSE 'false' END`;
    case 'hasPreviousPage':
      return `'${hasPreviousPage}'`;
    case 'startCursor':
      return cursorAt('1');
    case 'endCursor':
      return cursorAt(`least(total, ${first})`);
  }
}

/** `{"key":value,…}` from SQL text expressions, keys written as JSON.stringify writes them. */
function members(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (!pairs.length) return `'{}'`;
  return `(${pairs.map(([key, value], index) => `${literal(`${index ? ',' : '{'}${JSON.stringify(key)}:`)} || ${value}`).join(' || ')} || '}')`;
}

function leaf(field: string, check: LeafCheck): string {
  switch (check.kind) {
    case 'string':
      return `WHEN 'string' THEN ${field}::text`;
    case 'boolean':
      return `WHEN 'boolean' THEN ${field}::text`;
    case 'int':
      return `WHEN 'number' THEN CASE WHEN ${field}::text ~ ${INT} THEN ${field}::text END`;
    case 'float': {
      const trimmed = `trim_scale(${field}::numeric)::text`;
      return `WHEN 'number' THEN CASE WHEN ${trimmed} ~ ${FLOAT} AND ${trimmed} !~ ${FLOAT_TOO_SMALL} AND length(translate(${trimmed}, '-.', '')) <= 15 THEN ${trimmed} END`;
    }
    case 'time':
      return `WHEN 'string' THEN CASE WHEN ${field}::text ~ ${TIME} THEN ${field}::text END`;
    case 'enum':
      return `WHEN 'string' THEN CASE WHEN ${field} #>> '{}' IN (${check.values.map(literal).join(', ')}) THEN ${field}::text END`;
  }
}

/** The SQL that writes a unified list's response text (see ResponseText.connection). */
export function connectionText(rows: string, first: number, hasPreviousPage: boolean, entries: readonly ConnectionEntry[]): string {
  return new ResponseText().connection(rows, first, hasPreviousPage, entries);
}
