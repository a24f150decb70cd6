import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJob, SyncJobStatus } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import { transferredMappings } from '../mappings/standard-mappings';
import type { FullSyncService } from './full-sync.service';

export enum FullSyncRecommendation {
  FULL_SYNCHRONIZATION = 'FULL_SYNCHRONIZATION',
  /** Both systems hold uncoupled records: a full synchronisation would create duplicates. */
  COUPLE_RECORDS_FIRST = 'COUPLE_RECORDS_FIRST',
  NO_RECORDS = 'NO_RECORDS',
  /** The mapping's records move by a transfer (sales orders), not by synchronisation. */
  TRANSFERRED = 'TRANSFERRED',
}

registerEnumType(FullSyncRecommendation, { name: 'FullSyncRecommendation' });

/** One line of Business Central's Full Synch. Review page. */
@ObjectType('FullSyncReviewLine')
export class FullSyncReviewLine {
  @Field()
  mappingName!: string;

  @Field(() => SyncDirection)
  direction!: SyncDirection;

  @Field(() => [String])
  dependsOn!: string[];

  @Field(() => FullSyncRecommendation)
  recommendation!: FullSyncRecommendation;

  @Field(() => Int)
  erpRecords!: number;

  @Field(() => Int)
  crmRecords!: number;

  @Field(() => Int)
  coupledRecords!: number;

  @Field(() => SyncJobStatus, { nullable: true, description: "The mapping's status in the latest full synchronisation; null if it took no part." })
  jobStatus!: SyncJobStatus | null;

  @Field(() => SyncJob, { nullable: true, description: 'The to-CRM job (ERP records to the CRM) of the latest run.' })
  toCrmJob!: SyncJob | null;

  @Field(() => SyncJob, { nullable: true, description: 'The from-CRM job (CRM records to the ERP) of the latest run.' })
  fromCrmJob!: SyncJob | null;
}

/** A mapping's status from its jobs': the most pressing one wins. */
function combinedStatus(jobs: readonly SyncJob[]): SyncJobStatus | null {
  if (jobs.length === 0) return null;
  const order = [SyncJobStatus.RUNNING, SyncJobStatus.PAUSED, SyncJobStatus.FAILED, SyncJobStatus.CANCELLED, SyncJobStatus.READY, SyncJobStatus.WAITING];
  return order.find((status) => jobs.some((job) => job.status === status)) ?? SyncJobStatus.SUCCEEDED;
}

/** What a full synchronisation would do, mapping by mapping, and how the latest one is doing. */
export class FullSyncReviewService {
  constructor(
    private readonly integration: DataSource,
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly fullSync: FullSyncService,
  ) {}

  async review(): Promise<FullSyncReviewLine[]> {
    const mappings = await this.integration.getRepository(TableMapping).find({ order: { sequence: 'ASC' } });
    const run = await this.fullSync.currentRun();
    const jobs = run ? await this.fullSync.jobsOf([run.id]) : [];
    const coupled: Array<{ mapping_name: string; count: number }> = await this.integration.query(
      `SELECT mapping_name, count(*)::int AS count FROM integration.integration_record WHERE erp_id IS NOT NULL AND crm_id IS NOT NULL GROUP BY mapping_name`,
    );
    const coupledOf = new Map(coupled.map((row) => [row.mapping_name, row.count]));
    return Promise.all(
      mappings.map(async (mapping): Promise<FullSyncReviewLine> => {
        const [erpRecords, crmRecords] = await Promise.all([
          this.connectors.erp.count(this.connectors.erp.table(mapping.erpTable), mapping.erpFilter),
          this.connectors.crm.count(this.connectors.crm.table(mapping.crmTable), mapping.crmFilter),
        ]);
        const coupledRecords = coupledOf.get(mapping.name) ?? 0;
        const own = jobs.filter((job) => job.mappingName === mapping.name);
        return {
          mappingName: mapping.name,
          direction: mapping.direction,
          dependsOn: mapping.dependsOn,
          recommendation: transferredMappings.has(mapping.name)
            ? FullSyncRecommendation.TRANSFERRED
            : erpRecords + crmRecords === 0
              ? FullSyncRecommendation.NO_RECORDS
              : erpRecords > coupledRecords && crmRecords > coupledRecords
                ? FullSyncRecommendation.COUPLE_RECORDS_FIRST
                : FullSyncRecommendation.FULL_SYNCHRONIZATION,
          erpRecords,
          crmRecords,
          coupledRecords,
          jobStatus: combinedStatus(own),
          toCrmJob: own.find((job) => job.direction === SyncDirection.TO_CRM) ?? null,
          fromCrmJob: own.find((job) => job.direction === SyncDirection.FROM_CRM) ?? null,
        };
      }),
    );
  }
}
