import type { DataSource, EntityMetadata } from 'typeorm';

/** One side's table as a compiled read sees it: every column it can read, under its property name. */
export interface SideTable {
  readonly name: string;
  readonly key: string;
  readonly columns: ReadonlyMap<string, SideColumn>;
}

/** How a column's value reads: as text (uuid, varchar, text, date), a number, a boolean or a timestamp. */
export type ColumnKind = 'text' | 'int' | 'numeric' | 'boolean' | 'timestamp';

export interface SideColumn {
  readonly column: string;
  readonly timestamp: boolean;
  readonly kind: ColumnKind;
}

const KINDS: Readonly<Record<string, ColumnKind>> = { int: 'int', integer: 'int', numeric: 'numeric', boolean: 'boolean' };

/** Column types whose JSON value is what the connector hands out (numeric: a JSON number, as the decimal transformer makes it). */
const JSON_AS_IS = new Set<unknown>(['uuid', 'varchar', 'character varying', 'text', 'int', 'integer', 'boolean', 'numeric', 'date']);
const TIMESTAMP = new Set<unknown>(['timestamptz', 'timestamp with time zone']);

/** A table's readable columns from its entity metadata; null when it is not a single-key entity table. */
export function describeTable(dataSource: DataSource, tableName: string): SideTable | null {
  const metadata: EntityMetadata | undefined = dataSource.entityMetadatas.find((m) => m.tableName === tableName || m.name === tableName);
  if (!metadata || metadata.primaryColumns.length !== 1) return null;
  const columns = new Map<string, SideColumn>();
  for (const column of metadata.columns) {
    const type = column.type;
    if (TIMESTAMP.has(type)) columns.set(column.propertyName, { column: column.databaseName, timestamp: true, kind: 'timestamp' });
    else if (JSON_AS_IS.has(type) && (!column.transformer || type === 'numeric'))
      columns.set(column.propertyName, { column: column.databaseName, timestamp: false, kind: KINDS[type as string] ?? 'text' });
  }
  return { name: `${metadata.schema}.${metadata.tableName}`, key: metadata.primaryColumns[0]!.databaseName, columns };
}
