import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { StoreName } from '../db/data-sources';
import type { DemoTally } from './demo-summary';

/** PostgreSQL allows 65,535 bind parameters per statement; staying well below keeps statements quick to plan. */
const MAX_BIND_PARAMETERS = 30_000;

type EntityClass<T extends ObjectLiteral> = EntityTarget<T> & (new () => T);

/** The rows one store receives for one unit of work, grouped by entity and written in the order first added. */
export class StoreBatch {
  private readonly tables = new Map<EntityClass<ObjectLiteral>, ObjectLiteral[]>();

  constructor(readonly store: StoreName) {}

  add<T extends ObjectLiteral>(entity: EntityClass<T>, row: T): void {
    const rows = this.tables.get(entity);
    if (rows) rows.push(row);
    else this.tables.set(entity, [row]);
  }

  addAll<T extends ObjectLiteral>(entity: EntityClass<T>, rows: readonly T[]): void {
    for (const row of rows) this.add(entity, row);
  }

  get isEmpty(): boolean {
    return this.tables.size === 0;
  }

  /** Writes everything in one transaction, as multi-row INSERTs kept under the bind-parameter budget. */
  async write(dataSource: DataSource, tally: DemoTally): Promise<void> {
    if (this.isEmpty) return;
    await dataSource.transaction(async (manager) => {
      for (const [entity, rows] of this.tables) await insertRows(manager, entity, rows);
    });
    for (const [entity, rows] of this.tables) {
      tally.addRows(this.store, dataSource.getMetadata(entity).tableName, rows.length);
    }
  }
}

/**
 * Multi-row INSERTs built from the entity metadata. TypeORM's insert builder spends microseconds per
 * bind parameter on named-parameter bookkeeping, which would dominate a million-customer demo, so
 * the statement text is written here and run through the data source with positional parameters;
 * values still go through the driver's persistence conversion (column transformers included).
 */
async function insertRows(manager: EntityManager, entity: EntityClass<ObjectLiteral>, rows: readonly ObjectLiteral[]): Promise<void> {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const columns = metadata.columns.filter((column) => column.isInsert && !column.isVirtual);
  const table = metadata.schema ? `${driver.escape(metadata.schema)}.${driver.escape(metadata.tableName)}` : driver.escape(metadata.tableName);
  const head = `INSERT INTO ${table} (${columns.map((column) => driver.escape(column.databaseName)).join(', ')}) VALUES `;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / columns.length));
  const statements = new Map<number, string>();
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const end = Math.min(rows.length, start + rowsPerStatement);
    const parameters: unknown[] = [];
    for (let index = start; index < end; index += 1) {
      for (const column of columns) parameters.push(driver.preparePersistentValue(column.getEntityValue(rows[index]!), column));
    }
    let statement = statements.get(end - start);
    if (statement === undefined) {
      statement = head + placeholders(end - start, columns.length);
      statements.set(end - start, statement);
    }
    await manager.query(statement, parameters);
  }
}

/** "($1, $2), ($3, $4)" for two rows of two columns. */
function placeholders(rowCount: number, columnCount: number): string {
  const tuples: string[] = [];
  for (let row = 0; row < rowCount; row += 1) {
    const first = row * columnCount + 1;
    tuples.push(`(${Array.from({ length: columnCount }, (_, column) => `$${first + column}`).join(', ')})`);
  }
  return tuples.join(', ');
}
