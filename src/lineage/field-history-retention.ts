import type { DataSource } from 'typeorm';

/** Rows one round deletes at most, so a cleanup never holds the table long. */
const BATCH = 5_000;

const DAY_MS = 86_400_000;

/**
 * Forgets field lineage older than the retention, on the workers' housekeeping schedule: the
 * oldest rows first (ids follow the order rows were recorded in), a batch at a time, and nothing
 * but one index probe while the oldest row is still kept. Several workers may clean at once.
 */
export class FieldHistoryRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly integration: DataSource,
    /** 0 keeps everything. */
    private readonly retentionDays: number,
    private readonly checkEveryMs: number,
  ) {}

  start(): void {
    if (this.retentionDays === 0) return;
    this.timer = setInterval(() => void this.clean().catch((error: unknown) => console.error('field history retention:', error)), this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Deletes what is past the retention at `now`; returns how many rows. */
  async clean(now = new Date()): Promise<number> {
    if (this.retentionDays === 0) return 0;
    const cutoff = new Date(now.getTime() - this.retentionDays * DAY_MS);
    let deleted = 0;
    for (;;) {
      const [oldest]: Array<{ at: Date }> = await this.integration.query('SELECT at FROM integration.field_lineage ORDER BY id LIMIT 1');
      if (!oldest || oldest.at.getTime() >= cutoff.getTime()) return deleted;
      const [{ count }]: Array<{ count: number }> = await this.integration.query(
        `WITH oldest AS (SELECT id FROM integration.field_lineage ORDER BY id LIMIT $2),
              gone AS (DELETE FROM integration.field_lineage l USING oldest WHERE l.id = oldest.id AND l.at < $1 RETURNING 1)
         SELECT count(*)::int AS count FROM gone`,
        [cutoff, BATCH],
      );
      deleted += count;
      // A newer row among the oldest ids (recorded late) waits for the next round.
      if (count < BATCH) return deleted;
    }
  }
}
