import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** PostgreSQL allows 65,535 bind parameters per statement; half that keeps each statement's messages and plan moderate. */
const MAX_BIND_PARAMETERS = 30_000;

/** PostgreSQL array types for the column types unnest can carry; tables with others use multi-row VALUES. */
const UNNEST_TYPES: Readonly<Record<string, string>> = {
  uuid: 'uuid',
  varchar: 'varchar',
  'character varying': 'varchar',
  text: 'text',
  int: 'int',
  integer: 'int',
  numeric: 'numeric',
  boolean: 'boolean',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  date: 'date',
};

const UNNEST_ROWS = 10_000;

type EntityClass<T extends ObjectLiteral> = EntityTarget<T> & (new () => T);

/** One statement of a bulk insert, built and ready to run. */
export interface BulkStatement {
  readonly sql: string;
  readonly parameters: unknown[];
}

/**
 * Bulk INSERTs (optionally upserts by primary key) built from the entity metadata, as
 * INSERT … SELECT FROM unnest(…) where every column type allows, else multi-row VALUES. TypeORM's insert builder spends microseconds per
 * bind parameter on named-parameter bookkeeping, which dominates bulk loads and synchronisation
 * chunks, so the statement text is written here and run with positional parameters.
 */
export async function bulkInsert(manager: EntityManager, entity: EntityClass<ObjectLiteral>, rows: readonly ObjectLiteral[], options: BulkInsertOptions = {}): Promise<void> {
  await runBulkStatements(manager, bulkInsertStatements(manager.connection, entity, rows, options));
}

export interface BulkInsertOptions {
  readonly replaceOnConflict?: boolean;
  readonly sameForEveryRow?: Readonly<ObjectLiteral>;
}

export async function runBulkStatements(manager: EntityManager, statements: readonly BulkStatement[]): Promise<void> {
  for (const statement of statements) await manager.query(statement.sql, statement.parameters);
}

/**
 * The statements of a bulk insert, built without running them: a caller that runs them inside a
 * transaction builds them first, so that the transaction does not stay open while they are built.
 */
export function bulkInsertStatements(dataSource: DataSource, entity: EntityClass<ObjectLiteral>, rows: readonly ObjectLiteral[], options: BulkInsertOptions = {}): BulkStatement[] {
  const { driver } = dataSource;
  const metadata = dataSource.getMetadata(entity);
  const columns = metadata.columns.filter((column) => column.isInsert && !column.isVirtual);
  const same = options.sameForEveryRow ?? {};
  const timestamps: TimestampTexts = new Map();
  const writers = columns.map((column) => (column.propertyName in same ? constantWriter(driver, column, same, timestamps) : columnWriter(driver, column, timestamps)));
  const table = metadata.schema ? `${driver.escape(metadata.schema)}.${driver.escape(metadata.tableName)}` : driver.escape(metadata.tableName);
  const head = `INSERT INTO ${table} (${columns.map((column) => driver.escape(column.databaseName)).join(', ')}) VALUES `;
  // An upsert by primary key replaces every other column with the new row's.
  const tail = options.replaceOnConflict
    ? ` ON CONFLICT (${metadata.primaryColumns.map((column) => driver.escape(column.databaseName)).join(', ')}) DO UPDATE SET ${columns
        .filter((column) => !column.isPrimary)
        .map((column) => `${driver.escape(column.databaseName)} = excluded.${driver.escape(column.databaseName)}`)
        .join(', ')}`
    : '';
  const statements: BulkStatement[] = [];
  const arrayTypes = columns.map((column) => UNNEST_TYPES[String(column.type)]);
  if (arrayTypes.every((type) => type !== undefined)) {
    const into = `INSERT INTO ${table} (${columns.map((column) => driver.escape(column.databaseName)).join(', ')}) `;
    for (let start = 0; start < rows.length; start += UNNEST_ROWS) {
      const { select, parameters } = unnestSelect(rows.slice(start, start + UNNEST_ROWS), writers, arrayTypes as string[]);
      statements.push({ sql: into + select + tail, parameters });
    }
    return statements;
  }
  const rowsPerStatement = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / columns.length));
  const placeholders = Placeholders.forStatement(rowsPerStatement, columns.length);
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const end = Math.min(rows.length, start + rowsPerStatement);
    const parameters: unknown[] = [];
    for (let index = start; index < end; index += 1) {
      const row = rows[index]!;
      for (const write of writers) parameters.push(write(row));
    }
    statements.push({ sql: head + placeholders.forRows(end - start) + tail, parameters });
  }
  return statements;
}

// Column types whose values pg sends as they are (timestamps as ISO text, so pg needn't format Dates in the local time zone).
const plainTypes = new Set<unknown>(['uuid', 'varchar', 'character varying', 'text', 'int', 'integer', 'boolean', 'timestamptz', 'timestamp with time zone']);

/**
 * Timestamps formatted so far in one bulk insert, by time. Formatting a Date is the dearest part of
 * writing a row, and the times repeat: a chunk's rows share their stamps, and a row often holds one
 * time in two columns (a modified-at and the last-synced one).
 */
type TimestampTexts = Map<number, string>;

/** Reads a column's value from a row in the form the statement sends; anything unusual goes through the driver's conversion. */
function columnWriter(driver: Driver, column: ColumnMetadata, timestamps: TimestampTexts): (row: ObjectLiteral) => unknown {
  if (column.transformer || column.embeddedMetadata || column.relationMetadata || !plainTypes.has(column.type)) {
    return (row) => driver.preparePersistentValue(column.getEntityValue(row), column);
  }
  const property = column.propertyName;
  return (row) => {
    const value: unknown = row[property];
    if (!(value instanceof Date)) return value;
    const time = value.getTime();
    let text = timestamps.get(time);
    if (text === undefined) {
      text = value.toISOString();
      timestamps.set(time, text);
    }
    return text;
  };
}

/** A column's value for every row, converted once. */
function constantWriter(driver: Driver, column: ColumnMetadata, values: Readonly<ObjectLiteral>, timestamps: TimestampTexts): (row: ObjectLiteral) => unknown {
  const value = columnWriter(driver, column, timestamps)(values);
  return () => value;
}

/**
 * SELECT … FROM unnest(…) for a batch of rows: one array per column, so a few bind parameters
 * however many rows and large chunks stay cheap to send and plan. A column holding the same value
 * in every row (a stamp, a mapping name, a default) goes as one value instead, which PostgreSQL
 * parses once rather than per row; the first column always goes as an array, to give the row count.
 * A column holding, row by row, what an earlier column of its type holds (a modified-at and the
 * last-synced one, a code and the sort key) reads that column's array instead of sending its own.
 */
function unnestSelect(
  rows: readonly ObjectLiteral[],
  writers: ReadonlyArray<(row: ObjectLiteral) => unknown>,
  types: readonly string[],
): { select: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  const arrays: Array<{ cast: string; type: string; write: (row: ObjectLiteral) => unknown }> = [];
  const values = writers.map((write, index) => {
    const type = types[index]!;
    const same = index > 0 ? sameInEveryRow(rows, write) : undefined;
    if (same) {
      parameters.push(same.value);
      return `$${parameters.length}::${type}`;
    }
    const twin = arrays.findIndex((array) => array.type === type && sameInEveryRowAs(rows, write, array.write));
    if (twin >= 0) return `u.c${twin + 1}`;
    parameters.push(arrayLiteral(rows, write));
    arrays.push({ cast: `$${parameters.length}::${type}[]`, type, write });
    return `u.c${arrays.length}`;
  });
  return {
    select: `SELECT ${values.join(', ')} FROM unnest(${arrays.map((array) => array.cast).join(', ')}) AS u(${arrays.map((_, index) => `c${index + 1}`).join(', ')})`,
    parameters,
  };
}

function sameInEveryRow(rows: readonly ObjectLiteral[], write: (row: ObjectLiteral) => unknown): { value: unknown } | undefined {
  const value = write(rows[0]!);
  for (let index = 1; index < rows.length; index += 1) if (write(rows[index]!) !== value) return undefined;
  return { value: value ?? null };
}

/** Whether two columns hold the same value in every row; most pairs differ in the first. */
function sameInEveryRowAs(rows: readonly ObjectLiteral[], write: (row: ObjectLiteral) => unknown, other: (row: ObjectLiteral) => unknown): boolean {
  for (let index = 0; index < rows.length; index += 1) if (write(rows[index]!) !== other(rows[index]!)) return false;
  return true;
}

/** Characters an array element must be quoted for: separators, braces, quotes, backslashes and spaces. */
const NEEDS_QUOTES = /[{}",\\\s]/;
const NEEDS_ESCAPING = /["\\]/;
const ESCAPED = /["\\]/g;
const NULL_WORD = /^null$/i;

/**
 * One column of rows as a PostgreSQL array literal. pg would convert the array itself, but it runs
 * two replacements on every element, which shows in the profile of a synchronisation that sends
 * twenty columns of thousands of rows per chunk. Elements go bare unless they must be quoted (ids,
 * numbers and timestamps never need to be), and are joined once: growing the literal by
 * concatenation left two string fragments per element for the collector.
 */
function arrayLiteral(rows: readonly ObjectLiteral[], write: (row: ObjectLiteral) => unknown): string {
  const elements = new Array<string>(rows.length);
  for (let index = 0; index < rows.length; index += 1) {
    const value = write(rows[index]!);
    if (value === null || value === undefined) {
      elements[index] = 'NULL';
      continue;
    }
    const text = String(value);
    const bare = !NEEDS_QUOTES.test(text) && text.length > 0 && !(text.length === 4 && NULL_WORD.test(text));
    elements[index] = bare ? text : NEEDS_ESCAPING.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`;
  }
  return `{${elements.join(',')}}`;
}

/**
 * "($1, $2), ($3, $4)" for two rows of two columns. A table's statements share one shape, so the
 * text for a full statement is built once per shape and shorter ones are its prefixes.
 */
class Placeholders {
  private static readonly byShape = new Map<string, Placeholders>();
  private readonly text: string;
  /** Where the text for the first n rows ends, at index n - 1. */
  private readonly ends: number[] = [];

  private constructor(rowCount: number, columnCount: number) {
    let text = '';
    for (let row = 0; row < rowCount; row += 1) {
      const first = row * columnCount + 1;
      text += `${row === 0 ? '' : ', '}(${Array.from({ length: columnCount }, (_, column) => `$${first + column}`).join(', ')})`;
      this.ends.push(text.length);
    }
    this.text = text;
  }

  static forStatement(rowsPerStatement: number, columnCount: number): Placeholders {
    const key = `${rowsPerStatement}x${columnCount}`;
    let placeholders = Placeholders.byShape.get(key);
    if (!placeholders) {
      placeholders = new Placeholders(rowsPerStatement, columnCount);
      Placeholders.byShape.set(key, placeholders);
    }
    return placeholders;
  }

  forRows(rowCount: number): string {
    return this.text.slice(0, this.ends[rowCount - 1]);
  }
}
