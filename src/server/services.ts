import type { TokenService } from '../auth/tokens';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import type { ConnectedSystems } from '../mirrors/connected-systems';
import type { Stores } from '../db/data-sources';
import type { FullSyncJobRunner } from '../full-sync/full-sync-job.runner';
import type { JobQueue } from '../jobs/job-queue';
import type { SyncJobStates } from '../jobs/sync-job-states';
import type { ProgressPublisher } from '../progress/progress-publisher';
import type { SyncEngine } from '../sync/sync-engine';
import type { DiscoveryService } from '../unify/discovery.service';
import type { CompiledReads } from '../unify/compiled/compiled-reads';
import type { ReadModelFollower } from '../unify/read-model-follower';
import type { UnifiedListService } from '../unify/unified-list.service';
import type { OperationDeadlines } from './limits/operation-deadline';
import type { ResolverServices } from '../../resolvers/common/gateway-context';

/** The long-lived parts of a running gateway, shared by all requests: the resolvers' services and what the server and workers use. */
export interface GatewayServices extends ResolverServices {
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
  /**
   * Whether a page read through the loaders reads the related records its selection names ahead,
   * one statement per store (src/unify/page-prefetch.ts); off only for the reference the
   * differential tests compare with.
   */
  readonly readsAhead: boolean;
  readonly tokens: TokenService;
  /** The one writer of sync jobs' states. */
  readonly jobStates: SyncJobStates;
  readonly sync: SyncEngine;
  readonly queue: JobQueue;
  readonly fullSyncRunner: FullSyncJobRunner;
  readonly progress: ProgressPublisher;
  /** Releases what the services hold besides the stores (the job engine, the read model, listeners). */
  close(): Promise<void>;
}
