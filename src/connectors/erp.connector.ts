import type { EntityManager, ObjectLiteral } from 'typeorm';
import { incrementNumber } from './number-series';
import { PostgresSystemConnector } from './postgres-system.connector';
import type { NumberPreview, Table } from './system-connector';

/** The Business Central-style ERP, stored in PostgreSQL; records are keyed by SystemId. */
export class ErpConnector extends PostgresSystemConnector {
  readonly system = 'erp' as const;
  protected readonly keyProperty = 'systemId';

  /**
   * Numbers from the table's No. Series, taken under the series row's lock so that two writers
   * never get the same one. A number a record holds already (typed in by hand, or loaded) is
   * passed over, as Business Central would refuse it. A preview takes nothing and locks nothing.
   */
  async takeNumbers<T extends ObjectLiteral>(table: Table<T>, field: keyof T & string, count: number, preview?: NumberPreview): Promise<string[] | null> {
    const tableName = this.dataSource.getMetadata(table).tableName;
    const next = async (manager: EntityManager) => {
      const [series]: Array<{ code: string; starting_no: string; last_no_used: string | null; increment_by: number }> = await manager.query(
        `SELECT code, starting_no, last_no_used, increment_by FROM erp.no_series WHERE table_name = $1${preview ? '' : ' FOR UPDATE'}`,
        [tableName],
      );
      if (!series) return null;
      const wanted = count + (preview?.after ?? 0);
      const numbers: string[] = [];
      let last = series.last_no_used;
      while (numbers.length < wanted) {
        const candidates: string[] = [];
        for (let i = numbers.length; i < wanted; i += 1) {
          const following = last === null ? series.starting_no : incrementNumber(last, series.increment_by);
          if (following === null) throw new Error(`No. Series ${series.code}: ${last} holds no number to count up`);
          candidates.push(following);
          last = following;
        }
        const taken: Array<{ no: string }> = await manager.query(
          `SELECT ${this.columnOf(table, field)} AS no FROM ${this.qualifiedName(table)} WHERE ${this.columnOf(table, field)} = ANY($1)`,
          [candidates],
        );
        const held = new Set(taken.map((row) => row.no));
        numbers.push(...candidates.filter((candidate) => !held.has(candidate)));
      }
      if (preview) return numbers.slice(preview.after);
      await manager.query('UPDATE erp.no_series SET last_no_used = $2 WHERE code = $1', [series.code, last]);
      return numbers;
    };
    return preview ? next(this.dataSource.manager) : this.dataSource.transaction(next);
  }
}
