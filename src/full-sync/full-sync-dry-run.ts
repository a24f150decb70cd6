import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { FullSyncRun, FullSyncRunStatus } from '../../entities/integration/full-sync-run.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJobType } from '../../entities/integration/sync-job.entity';
import type { SystemName } from '../connectors/system-connector';
import type { SyncJobStates } from '../jobs/sync-job-states';
import { PlannedCouplings, type DryRunJob } from '../sync/dry-run';
import type { SyncEngine } from '../sync/sync-engine';
import { SyncMode } from '../sync/sync-mode';
import { inDependencyOrder, planJobs, synchronisedMappings } from './full-sync-plan';

/** A full synchronisation a dry run found, never stored: one dry job per mapping. */
export type DryFullSyncRun = FullSyncRun & { readonly dryRun: readonly DryRunJob[] };

/**
 * What a full synchronisation would do, written nowhere: every mapping's records decided as its
 * jobs would decide them, one mapping after those it depends on, in this request. References
 * translate through the couplings the earlier mappings would make (a contact of an account the
 * run would create), as they would in the run.
 */
export class FullSyncDryRun {
  constructor(
    private readonly integration: DataSource,
    private readonly engine: SyncEngine,
    private readonly states: SyncJobStates,
  ) {}

  async run(requestedBy: string): Promise<DryFullSyncRun> {
    const startedAt = new Date();
    const planned = new PlannedCouplings();
    const jobs: DryRunJob[] = [];
    for (const mapping of inDependencyOrder(await synchronisedMappings(this.integration.manager))) {
      // The mapping's jobs read the sides its direction writes from, as planJobs makes them.
      const sides = planJobs([mapping]).map((job): SystemName => (job.direction === SyncDirection.TO_CRM ? 'erp' : 'crm'));
      const report = await this.engine.dryRun(mapping.name, SyncMode.FULL, { planned, sides });
      jobs.push({
        ...this.states.dryRun({ type: SyncJobType.SYNC, mappingName: mapping.name, direction: mapping.direction, requestedBy, startedAt }, report.counters, report.processed),
        dryRun: report,
      });
    }
    const run = this.integration.manager.create(FullSyncRun, {
      id: randomUUID(),
      status: FullSyncRunStatus.SUCCEEDED,
      startedAt,
      finishedAt: new Date(),
      requestedBy: requestedBy.slice(0, 100),
      message: `Dry run of ${jobs.length} mappings: decided as a full synchronisation would, nothing was written`,
    });
    return Object.assign(run, { dryRun: jobs });
  }
}
