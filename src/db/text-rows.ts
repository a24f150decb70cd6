import { types } from 'pg';
import type { DataSource, EntityMetadata } from 'typeorm';

/** The type ids of the column types our entities use. */
const TYPE_IDS: Readonly<Record<string, number>> = {
  uuid: types.builtins.UUID,
  varchar: types.builtins.VARCHAR,
  'character varying': types.builtins.VARCHAR,
  text: types.builtins.TEXT,
  int: types.builtins.INT4,
  integer: types.builtins.INT4,
  numeric: types.builtins.NUMERIC,
  boolean: types.builtins.BOOL,
  timestamptz: types.builtins.TIMESTAMPTZ,
  'timestamp with time zone': types.builtins.TIMESTAMPTZ,
  date: types.builtins.DATE,
};

/** A row as JSON gives it back: each column's text. */
export type TextRow = ReadonlyArray<string | null>;

/**
 * An entity table's rows as JSON arrays of each column's text, and back. Several reads can then
 * share one statement (each a JSON aggregate in a column of its own) and still come out as pg
 * hands a table's rows over: each column's text goes through the parser pg uses for its type.
 */
export class TextRows {
  /** A row of the table aliased `r`, as a JSON array of text. */
  readonly row: string;
  private readonly parsers: ReadonlyArray<(text: string) => unknown>;

  constructor(private readonly metadata: EntityMetadata) {
    this.row = `json_build_array(${metadata.columns.map((column) => `r."${column.databaseName}"::text`).join(', ')})`;
    this.parsers = metadata.columns.map((column) => {
      const typeId = TYPE_IDS[String(column.type)];
      if (typeId === undefined) throw new Error(`Column ${metadata.tableName}.${column.databaseName} has type ${String(column.type)}, which TextRows does not read`);
      return types.getTypeParser(typeId, 'text') as (text: string) => unknown;
    });
  }

  /** The rows as a query's rows under property names: what `dataSource.query` gives for the table's columns. */
  parse(rows: readonly TextRow[]): Array<Record<string, unknown>> {
    const { columns } = this.metadata;
    return rows.map((texts) => {
      const row: Record<string, unknown> = {};
      columns.forEach((column, position) => {
        const text = texts[position];
        row[column.propertyName] = text === null || text === undefined ? null : this.parsers[position]!(text);
      });
      return row;
    });
  }

  /** The rows as entities, hydrated as TypeORM's `getMany` hydrates them. */
  entities<T>(dataSource: DataSource, rows: readonly TextRow[]): T[] {
    const { columns } = this.metadata;
    return this.parse(rows).map((row) => {
      const entity = this.metadata.create() as Record<string, unknown>;
      for (const column of columns) entity[column.propertyName] = dataSource.driver.prepareHydratedValue(row[column.propertyName], column);
      return entity as T;
    });
  }
}
