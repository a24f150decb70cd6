import type { ConnectionEntry, EdgeEntry, LeafCheck, PageInfoEntry } from './response-shape';
import type { ColumnKind } from './side-table';

/** A string literal of SQL holding `value`. */
export const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A selection a compiled statement cannot write as response text (the document is left to Apollo). */
export class Unwritable extends Error {}

/**
 * Numbers JSON.stringify writes as PostgreSQL does (trailing zeros trimmed): a Float with at most
 * 15 digits (a double keeps them, so the shortest form that reads back is the same digits) and
 * not below 1e-6 (JSON.stringify writes 1e-7).
 */
const FLOAT = `'^-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?$'`;
const FLOAT_TOO_SMALL = `'^-?0\\.0{6}'`;
/** A text expression of SQL holding its value (text JSON needs no escape in) as a JSON string. */
export const jsonString = (expression: string) => `'"' || ${expression} || '"'`;

/**
 * DateTimeISO's form (see date-time-scalar.ts), quotes included; years outside 1–9999 it writes otherwise. The years are
 * told by comparing instants and UTC is a fixed offset: a zone's name is looked up at every call.
 */
const iso = (expression: string) =>
  `CASE WHEN ${expression} >= '0001-01-01Z' AND ${expression} < '10000-01-01Z' THEN to_char(${expression} AT TIME ZONE INTERVAL '0', '\\"YYYY-MM-DD"T"HH24:MI:SS.MS"Z\\"') END`;

/**
 * How many records a piece of a response's text holds at most. A text of more records leaves
 * PostgreSQL in pieces, rows the gateway writes joined by commas: pg decodes a column into one
 * string, and V8 decodes a string above 128 KB some 30 times slower per byte than a smaller one
 * (bench/RESULTS.md, round 14), so a batch of 1,000 records sent as one text of 470 KB cost the
 * gateway more to take in than to write out. 64 records of the benchmark's page are about 30 KB.
 */
const PIECE_RECORDS = 64;

/** Whether the text of `records` records (at most) is cut into pieces. */
export const inPieces = (records: number) => records > PIECE_RECORDS;

/** string_agg's delimiter before the record numbered `ordinal` (from 1): the comma, or in pieces a break between them every PIECE_RECORDS records. */
const delimiter = (ordinal: string, pieces: boolean) => (pieces ? `CASE WHEN ${ordinal} % ${PIECE_RECORDS} = 1 THEN E'\\n' ELSE ',' END` : `','`);

/**
 * A text statement's rows (`installed`, `piece`): the response's text `result` as one piece, or in
 * `pieces` cut at its breaks, in order. No JSON text the statements write holds a raw line feed
 * (to_json escapes it), so each break is one of delimiter's. A NULL result gives one row whose
 * piece is NULL.
 */
export function textRows(installed: string, result: string, pieces: boolean): string {
  if (!pieces) return `SELECT ${installed} AS installed, (${result}) AS piece`;
  return `SELECT s.installed, t.piece FROM (SELECT ${installed} AS installed, (${result}) AS result OFFSET 0) s
      LEFT JOIN LATERAL string_to_table(s.result, E'\\n') WITH ORDINALITY t(piece, at) ON true ORDER BY t.at`;
}

/** A string literal of SQL holding `value` as JSON text. */
export const jsonLiteral = (value: string) => literal(JSON.stringify(value));

/**
 * The JSON text graphql-js and JSON.stringify write for a column's value under a leaf of `check`;
 * NULL where they would write something else or report an error (a null under a non-null type),
 * and the caller answers through graphql-js instead. Throws Unwritable for a type the column
 * cannot be written as.
 */
export function leafText(expression: string, kind: ColumnKind, check: LeafCheck, nonNull: boolean): string {
  const text = valueText(expression, kind, check);
  return nonNull ? `CASE WHEN ${expression} IS NOT NULL THEN ${text} END` : `CASE WHEN ${expression} IS NULL THEN 'null' ELSE ${text} END`;
}

function valueText(expression: string, kind: ColumnKind, check: LeafCheck): string {
  if (check.kind === 'string' && kind === 'text') return `to_json(${expression})::text`;
  if (check.kind === 'enum' && kind === 'text') return `CASE WHEN ${expression} IN (${check.values.map(literal).join(', ')}) THEN to_json(${expression})::text END`;
  if (check.kind === 'boolean' && kind === 'boolean') return `${expression}::text`;
  if ((check.kind === 'int' || check.kind === 'float') && kind === 'int') return `${expression}::text`;
  if (check.kind === 'float' && kind === 'numeric') {
    const trimmed = `trim_scale(${expression})::text`;
    return `CASE WHEN ${trimmed} ~ ${FLOAT} AND ${trimmed} !~ ${FLOAT_TOO_SMALL} AND length(translate(${trimmed}, '-.', '')) <= 15 THEN ${trimmed} END`;
  }
  if (check.kind === 'time' && kind === 'timestamp') return iso(expression);
  throw new Unwritable(`${kind} as ${check.kind}`);
}

/** `{"key":value,…}` from SQL text expressions, keys written as JSON.stringify writes them; NULL when any value is. */
export function members(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (!pairs.length) return `'{}'`;
  return `(${pairs.map(([key, value], index) => `${literal(`${index ? ',' : '{'}${JSON.stringify(key)}:`)} || ${value}`).join(' || ')} || '}')`;
}

/**
 * A unified list's connection over `rows` (n: the record's place on the page from 1, k: sort key, i: integration record
 * id, present: the record still exists on a side, v: its response text; one more row than the page holds): edges
 * for the page's records, pageInfo and cursors as UnifiedRecords.list gives them, totalCount as
 * `counted` (a statement counting the records the filter matches) gives it, with breaks between
 * `pieces`. NULL when a record's text is.
 */
export function connectionText(rows: string, first: number, hasPreviousPage: boolean, entries: readonly ConnectionEntry[], counted: string, pieces: boolean): string {
  const edges = entries.flatMap((entry) => (entry.kind === 'edges' ? entry.edge : []));
  const edge = members(edges.map((entry) => [entry.key, edgeEntry(entry)]));
  const connection = members(
    entries.map((entry) => [
      entry.key,
      entry.kind === 'typename'
        ? jsonLiteral(entry.typeName)
        : entry.kind === 'totalCount'
          ? `(${counted})::text`
          : entry.kind === 'edges'
            ? `'[' || coalesce(string_agg(t, ${delimiter('n', pieces)} ORDER BY n), '') || ']'`
            : members(entry.entries.map((info) => [info.key, pageInfo(info, first, hasPreviousPage)])),
    ]),
  );
  // encodeCursor: base64url of the JSON array [sort key, id].
  const cursor = `translate(encode(convert_to('[' || to_json(k::text)::text || ',' || to_json(i::text)::text || ']', 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
  // OFFSET 0 keeps each level a subquery of its own: flattened, PostgreSQL evaluates a record's text once per reference to it.
  return `SELECT CASE WHEN count(*) FILTER (WHERE edge) = count(t) THEN ${connection} END
      FROM (SELECT n, total, cursor, edge, CASE WHEN edge THEN ${edge} END AS t
        FROM (SELECT n, count(*) OVER () AS total, ${cursor} AS cursor, v, n <= ${first} AND present AS edge
          FROM (${rows} OFFSET 0) numbered OFFSET 0) with_cursors OFFSET 0) edges`;
}

/**
 * The answer of a lookup of `count` ids (`_entities`, or one id of `customer(id:)` and `node`)
 * over `rows` (rid: the id's ordinal, v: the response text of the record found for it): a JSON
 * array holding each id's record, or null where none was found, in the ids' order, with breaks
 * between `pieces`. NULL when a found record's text is.
 */
export function lookupsText(rows: string, count: string, pieces: boolean): string {
  // OFFSET 0: each record's text is worked out once, not once per aggregate that reads it.
  return `SELECT CASE WHEN count(found.rid) = count(found.v) THEN '[' || coalesce(string_agg(coalesce(found.v, 'null'), ${delimiter('q.n', pieces)} ORDER BY q.n), '') || ']' END
      FROM generate_series(1, ${count}) q(n) LEFT JOIN (${rows} OFFSET 0) found ON found.rid = q.n`;
}

function edgeEntry(entry: EdgeEntry): string {
  if (entry.kind === 'typename') return jsonLiteral(entry.typeName);
  if (entry.kind === 'cursor') return jsonString('cursor');
  return 'v';
}

function pageInfo(entry: PageInfoEntry, first: number, hasPreviousPage: boolean): string {
  const cursorAt = (row: string) => `coalesce('"' || min(cursor) FILTER (WHERE n = ${row} AND n <= ${first}) || '"', 'null')`;
  switch (entry.kind) {
    case 'typename':
      return jsonLiteral(entry.typeName);
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
