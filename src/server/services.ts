import type { TokenService } from '../auth/tokens';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import type { ConnectedSystems } from '../mirrors/connected-systems';
import type { CouplingService } from '../coupling/coupling.service';
import type { MatchCouplingService } from '../coupling/match-coupling.service';
import type { Stores } from '../db/data-sources';
import type { FullSyncDryRun } from '../full-sync/full-sync-dry-run';
import type { FullSyncJobRunner } from '../full-sync/full-sync-job.runner';
import type { FullSyncReviewService } from '../full-sync/full-sync-review.service';
import type { FullSyncService } from '../full-sync/full-sync.service';
import type { JobLogService } from '../jobs/job-log.service';
import type { FieldHistoryService } from '../lineage/field-history.service';
import type { PossibleDuplicateService } from '../duplicates/possible-duplicate.service';
import type { JobQueue } from '../jobs/job-queue';
import type { SyncJobStates } from '../jobs/sync-job-states';
import type { MappingAdminService } from '../mappings/mapping-admin.service';
import type { ProgressPublisher } from '../progress/progress-publisher';
import type { ProgressStreams } from '../progress/progress-streams';
import type { ItemAvailabilityService } from '../inventory/item-availability.service';
import type { SalesPriceService } from '../pricing/sales-price.service';
import type { MappingRunService } from '../mapping-runs/mapping-runs.service';
import type { SalesOrderTransferService } from '../sales-orders/sales-order-transfer.service';
import type { ConnectionSetupService } from '../setup/connection-setup.service';
import type { SystemConnectionsService } from '../setup/system-connections.service';
import type { RecordSyncService } from '../sync/record-sync.service';
import type { SyncErrorService } from '../sync/sync-error.service';
import type { SyncEngine } from '../sync/sync-engine';
import type { DiscoveryService } from '../unify/discovery.service';
import type { CompiledReads } from '../unify/compiled/compiled-reads';
import type { ReadModelFollower } from '../unify/read-model-follower';
import type { UnifiedListService } from '../unify/unified-list.service';
import type { OperationDeadlines } from './limits/operation-deadline';

/** The long-lived parts of a running gateway, shared by all requests. */
export interface GatewayServices {
  readonly stores: Stores;
  readonly connectors: Readonly<Record<SystemName, SystemConnector>>;
  /** Which ERP and CRM the connectors reach, and the mirrors of real products with their replicators. */
  readonly systems: ConnectedSystems;
  readonly discovery: DiscoveryService;
  /** Keeps the unified index current from both systems' change notifications; started by the process that owns it. */
  readonly readModel: ReadModelFollower;
  readonly lists: UnifiedListService;
  /** Each operation's deadline, and the statements it stops (TypeORM's and the compiled reads'). */
  readonly deadlines: OperationDeadlines;
  /** One-statement reads of unified records; null when the stores are separate databases. */
  readonly compiledReads: CompiledReads | null;
  readonly tokens: TokenService;
  readonly mappings: MappingAdminService;
  readonly coupling: CouplingService;
  readonly jobs: JobLogService;
  /** The one writer of sync jobs' states. */
  readonly jobStates: SyncJobStates;
  readonly sync: SyncEngine;
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
  readonly queue: JobQueue;
  readonly fullSync: FullSyncService;
  /** startFullSync(dryRun: true): what a full synchronisation would do, written nowhere. */
  readonly fullSyncDryRun: FullSyncDryRun;
  readonly fullSyncReview: FullSyncReviewService;
  readonly fullSyncRunner: FullSyncJobRunner;
  readonly progress: ProgressPublisher;
  readonly progressStreams: ProgressStreams;
  /** Releases what the services hold besides the stores (the job engine, the read model, listeners). */
  close(): Promise<void>;
}
