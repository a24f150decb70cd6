import { In, type DataSource } from 'typeorm';
import { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import { DeletionConflictResolution } from '../../entities/integration/table-mapping.entity';
import type { ChunkWriter } from './chunk-writer';
import type { DeletionPolicy } from './deletion-policy';
import type { PairLoader } from './pair-loader';
import { SyncResolution } from './sync-mode';
import type { RunContext } from './sync-run';

/** The side a resolution copies to: ERP_WINS writes the CRM, CRM_WINS the ERP. */
export const forcedBy = (resolution: SyncResolution) => (resolution === SyncResolution.ERP_WINS ? 'crm' : resolution === SyncResolution.CRM_WINS ? 'erp' : null);

/**
 * An operator's decision on reported records (integration records) of one mapping: a winning
 * side is copied to the other; a coupling that lost a side is restored, removed, or its survivor deleted.
 */
export class SyncResolutions {
  constructor(
    private readonly integration: DataSource,
    private readonly pairs: PairLoader,
    private readonly writer: ChunkWriter,
    private readonly deletions: DeletionPolicy,
  ) {}

  /** With no resolution, the run's field choices decide the fields in conflict of the coupled pairs (see FieldChoices). */
  async resolve(run: RunContext, linkIds: readonly string[], resolution: SyncResolution | null): Promise<void> {
    const links = await this.integration.getRepository(IntegrationRecord).findBy({ mappingName: run.mapping.name, id: In([...linkIds]) });
    const pairs = await this.pairs.pairsOfLinks(run, links);
    run.processed += pairs.length;
    if (resolution === null) {
      const coupled = pairs.filter((pair) => pair.erp && pair.crm);
      if (coupled.length > 0) await this.writer.processPairs(run, coupled, null);
      return;
    }
    const forced = forcedBy(resolution);
    if (forced) {
      const present = pairs.filter((pair) => pair[forced === 'crm' ? 'erp' : 'crm']);
      if (present.length > 0) await this.writer.processPairs(run, present, null);
      return;
    }
    const broken = pairs.filter((pair) => pair.link.erpId && pair.link.crmId && (!pair.erp || !pair.crm));
    if (resolution === SyncResolution.DELETE_SURVIVOR) return this.deletions.deleteSurvivors(run, broken);
    await this.deletions.apply(run, broken, resolution === SyncResolution.RESTORE ? DeletionConflictResolution.RESTORE : DeletionConflictResolution.REMOVE_COUPLING);
  }
}
