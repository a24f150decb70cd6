import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { bulkInsert } from '../db/bulk-insert';
import type { StoreName } from '../db/data-sources';
import type { DemoTally } from './demo-summary';

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

  get isEmpty(): boolean {
    return this.tables.size === 0;
  }

  /** Writes everything in one transaction, as multi-row INSERTs kept under the bind-parameter budget. */
  async write(dataSource: DataSource, tally: DemoTally): Promise<void> {
    if (this.isEmpty) return;
    await dataSource.transaction(async (manager) => {
      // Demo data can simply be generated again, so a commit need not wait for its WAL flush.
      await manager.query('SET LOCAL synchronous_commit TO OFF');
      for (const [entity, rows] of this.tables) await bulkInsert(manager, entity, rows);
    });
    for (const [entity, rows] of this.tables) {
      tally.addRows(this.store, dataSource.getMetadata(entity).tableName, rows.length);
    }
  }
}
