import type { EntityManager } from 'typeorm';
import { incrementNumber } from './number-series';
import { PostgresSystemConnector, type WriteEffects } from './postgres-system.connector';
import type { DomainRecord, NumberPreview, Table } from './system-connector';

/** Numbers a series handed out that no committed record holds yet, in the order they were given. */
interface HandedOut {
  readonly code: string;
  readonly field: string;
  numbers: string[];
}

/** The Business Central-style ERP, stored in PostgreSQL; records are keyed by SystemId. */
export class ErpConnector extends PostgresSystemConnector {
  readonly system = 'erp' as const;
  protected readonly keyProperty = 'systemId';
  private readonly handedOut = new Map<string, HandedOut>();

  /**
   * Numbers from the table's No. Series, after those handed out and not yet written. A series
   * advances in the transaction that writes the records holding its numbers (as Business Central
   * takes a number in the transaction that inserts the record), so a process that stops between
   * the take and the write leaves no gap: the run that resumes gives the same records the same
   * numbers. A number a record holds already (typed in by hand, or loaded) is passed over, as
   * Business Central would refuse it. A preview takes nothing.
   */
  async takeNumbers<T extends DomainRecord>(table: Table<T>, field: keyof T & string, count: number, preview?: NumberPreview): Promise<string[] | null> {
    const tableName = table.name;
    const [series]: Array<{ code: string; starting_no: string; last_no_used: string | null; increment_by: number }> = await this.dataSource.query(
      'SELECT code, starting_no, last_no_used, increment_by FROM erp.no_series WHERE table_name = $1',
      [tableName],
    );
    if (!series) return null;
    const pending = preview ? null : this.pendingOf(tableName, series.code, field, series.last_no_used);
    const wanted = count + (preview?.after ?? 0);
    const numbers: string[] = [];
    let last = pending?.numbers.at(-1) ?? series.last_no_used;
    while (numbers.length < wanted) {
      const candidates: string[] = [];
      for (let i = numbers.length; i < wanted; i += 1) {
        const following = last === null ? series.starting_no : incrementNumber(last, series.increment_by);
        if (following === null) throw new Error(`No. Series ${series.code}: ${last} holds no number to count up`);
        candidates.push(following);
        last = following;
      }
      const taken: Array<{ no: string }> = await this.dataSource.query(
        `SELECT ${this.columnOf(table, field)} AS no FROM ${this.qualifiedName(table)} WHERE ${this.columnOf(table, field)} = ANY($1)`,
        [candidates],
      );
      const held = new Set(taken.map((row) => row.no));
      numbers.push(...candidates.filter((candidate) => !held.has(candidate)));
    }
    if (preview) return numbers.slice(preview.after);
    pending!.numbers.push(...numbers);
    return numbers;
  }

  /** Advances the series past the handed-out numbers the records hold, in the transaction that writes them. */
  protected override writeEffects(table: Table, records: readonly DomainRecord[]): WriteEffects | null {
    const pending = this.handedOut.get(table.name);
    if (!pending || pending.numbers.length === 0) return null;
    const held = new Set(records.map((record) => record[pending.field]));
    const lastIndex = pending.numbers.findLastIndex((number) => held.has(number));
    if (lastIndex < 0) return null;
    const last = pending.numbers[lastIndex]!;
    return {
      inTransaction: (manager) => advanceSeries(manager, pending.code, last),
      afterCommit: () => {
        pending.numbers = pending.numbers.slice(pending.numbers.indexOf(last) + 1);
      },
    };
  }

  /** The numbers handed out for the table and not yet written, without those the series has passed since. */
  private pendingOf(tableName: string, code: string, field: string, lastUsed: string | null): HandedOut {
    let pending = this.handedOut.get(tableName);
    if (!pending || pending.code !== code) this.handedOut.set(tableName, (pending = { code, field, numbers: [] }));
    const passed = lastUsed === null ? -1 : pending.numbers.indexOf(lastUsed);
    if (passed >= 0) pending.numbers = pending.numbers.slice(passed + 1);
    return pending;
  }
}

/**
 * Moves a series' last number used forward to `last`, never back: a series' numbers keep their
 * prefix and width until the digits overflow, so a longer number, or a greater one as long, is later.
 */
async function advanceSeries(manager: EntityManager, code: string, last: string): Promise<void> {
  await manager.query(
    `UPDATE erp.no_series SET last_no_used = $2
      WHERE code = $1 AND (last_no_used IS NULL OR length(last_no_used) < length($2) OR (length(last_no_used) = length($2) AND last_no_used COLLATE "C" < $2))`,
    [code, last],
  );
}
