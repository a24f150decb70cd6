import type { DataSource } from 'typeorm';
import { transferredMappings } from '../mappings/standard-mappings';
import { logger } from '../observability/logger';

/**
 * The fallback for change notifications that never arrived (a listener that was down, a write
 * that bypassed the triggers): every synchronised mapping gets an incremental run when none has
 * started for its interval, unless an operator cancelled or paused its full-synchronisation job.
 * Several workers may ask at once; the queue keeps one waiting per mapping.
 */
export class IncrementalSchedule {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly integration: DataSource,
    private readonly request: (mappingName: string, reason: string) => Promise<void>,
    private readonly checkEveryMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check().catch((error: unknown) => logger.error({ err: error }, 'incremental schedule failed')), this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async check(): Promise<void> {
    const due: Array<{ name: string }> = await this.integration.query(
      `SELECT m.name FROM integration.table_mapping m
        WHERE (m.erp_synced_until IS NOT NULL OR m.crm_synced_until IS NOT NULL) AND m.suspended_by_run_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM integration.sync_job j
                           WHERE j.mapping_name = m.name AND j.type = 'SYNC'
                             AND j.started_at > now() - make_interval(secs => m.incremental_interval_seconds))`,
    );
    for (const { name } of due) if (!transferredMappings.has(name)) await this.request(name, 'schedule');
  }
}
