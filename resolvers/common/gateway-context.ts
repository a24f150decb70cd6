import type { Caller } from '../../src/auth/caller';
import type { CouplingService } from '../../src/coupling/coupling.service';
import type { MatchCouplingService } from '../../src/coupling/match-coupling.service';
import type { PossibleDuplicateService } from '../../src/duplicates/possible-duplicate.service';
import type { FullSyncDryRun } from '../../src/full-sync/full-sync-dry-run';
import type { FullSyncReviewService } from '../../src/full-sync/full-sync-review.service';
import type { FullSyncService } from '../../src/full-sync/full-sync.service';
import type { ItemAvailabilityService } from '../../src/inventory/item-availability.service';
import type { JobLogService } from '../../src/jobs/job-log.service';
import type { FieldHistoryService } from '../../src/lineage/field-history.service';
import type { MappingRunService } from '../../src/mapping-runs/mapping-runs.service';
import type { MappingAdminService } from '../../src/mappings/mapping-admin.service';
import type { SalesPriceService } from '../../src/pricing/sales-price.service';
import type { ProgressStreams } from '../../src/progress/progress-streams';
import type { SalesOrderTransferService } from '../../src/sales-orders/sales-order-transfer.service';
import type { ConnectionSetupService } from '../../src/setup/connection-setup.service';
import type { SystemConnectionsService } from '../../src/setup/system-connections.service';
import type { RecordSyncService } from '../../src/sync/record-sync.service';
import type { SyncErrorService } from '../../src/sync/sync-error.service';
import type { RequestReads } from '../../src/unify/request-reads';

/** The services the resolvers call; the server's GatewayServices holds them among the rest. */
export interface ResolverServices {
  readonly mappings: MappingAdminService;
  readonly coupling: CouplingService;
  readonly jobs: JobLogService;
  readonly recordSync: RecordSyncService;
  readonly syncErrors: SyncErrorService;
  /** Field lineage: what the engine wrote into each record. */
  readonly fieldHistory: FieldHistoryService;
  /** Records a sync held instead of creating them, for an operator to couple, create or dismiss. */
  readonly possibleDuplicates: PossibleDuplicateService;
  readonly matchCoupling: MatchCouplingService;
  /** runSync's entry: the engine, or the sales order transfer for SALESORDER-ORDER. */
  readonly mappingRuns: MappingRunService;
  readonly connectionSetup: ConnectionSetupService;
  /** Each system's configuration (secrets masked), its mirror's lag, and the connection test. */
  readonly systemConnections: SystemConnectionsService;
  readonly salesOrderTransfer: SalesOrderTransferService;
  readonly pricing: SalesPriceService;
  readonly availability: ItemAvailabilityService;
  readonly fullSync: FullSyncService;
  /** startFullSync(dryRun: true): what a full synchronisation would do, written nowhere. */
  readonly fullSyncDryRun: FullSyncDryRun;
  readonly fullSyncReview: FullSyncReviewService;
  readonly progressStreams: ProgressStreams;
}

/** What every resolver receives: who is asking, the request's loaders, and the services. */
export interface GatewayContext extends Caller, RequestReads {
  readonly services: ResolverServices;
}
