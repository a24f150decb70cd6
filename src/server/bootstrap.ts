import { TokenService, type TokenPolicy } from '../auth/tokens';
import type { GatewayConfig, SystemsConfig } from '../config/config';
import { connectSystems, type ConnectedSystems } from '../mirrors/connected-systems';
import { CouplingPrerequisites } from '../coupling/coupling-prerequisites';
import { CouplingService } from '../coupling/coupling.service';
import { DuplicateQueue } from '../duplicates/duplicate-queue';
import { PossibleDuplicateService } from '../duplicates/possible-duplicate.service';
import { MatchCouplingService } from '../coupling/match-coupling.service';
import { closeStores, openStores, storeUrl, type Stores } from '../db/data-sources';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded-postgres';
import { FullSyncDryRun } from '../full-sync/full-sync-dry-run';
import { FullSyncJobRunner } from '../full-sync/full-sync-job.runner';
import { FullSyncReviewService } from '../full-sync/full-sync-review.service';
import { FullSyncService } from '../full-sync/full-sync.service';
import { ItemAvailabilityService } from '../inventory/item-availability.service';
import { JobLogService } from '../jobs/job-log.service';
import { FieldHistoryService } from '../lineage/field-history.service';
import { JobQueue } from '../jobs/job-queue';
import { SyncJobStates } from '../jobs/sync-job-states';
import { MappingAdminService } from '../mappings/mapping-admin.service';
import { installStandardMappings } from '../mappings/mapping-installer';
import { ProgressHub } from '../progress/progress-hub';
import { ProgressPublisher } from '../progress/progress-publisher';
import { ProgressStreams } from '../progress/progress-streams';
import { SalesPriceService } from '../pricing/sales-price.service';
import { MappingRunService } from '../mapping-runs/mapping-runs.service';
import { SalesOrderTransferService } from '../sales-orders/sales-order-transfer.service';
import { ConnectionSetupService } from '../setup/connection-setup.service';
import { SystemConnectionsService } from '../setup/system-connections.service';
import { CompanionRecords } from '../sync/companion-records';
import { FieldTransformer } from '../sync/field-transformer';
import { RecordSyncService } from '../sync/record-sync.service';
import { SyncErrorService } from '../sync/sync-error.service';
import { ReferenceTranslator } from '../sync/reference-translator';
import { SyncEngine } from '../sync/sync-engine';
import { CompiledReads } from '../unify/compiled/compiled-reads';
import { DiscoveryService } from '../unify/discovery.service';
import { logger } from '../observability/logger';
import { ReadModelFollower } from '../unify/read-model-follower';
import { UnifiedListService } from '../unify/unified-list.service';
import { SyncWorker, type WorkerOptions } from '../worker/sync-worker';
import { OperationDeadlines } from './limits/operation-deadline';
import type { GatewayServices } from './services';

/** What an entry point does to the stores once they are migrated, before the read model starts (the demo seeds its company). */
export type DataPreparation = (stores: Stores, config: GatewayConfig, log: (message: string) => void) => Promise<void>;

export interface PreparedGateway {
  readonly services: GatewayServices;
  /** The secret tokens are signed with: configured, or generated for this run. */
  readonly secretGenerated: boolean;
  /** The integration store's URL (the embedded server's when none was configured). */
  readonly databaseUrl: string;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** This process runs a worker, so its job engine does the queue's housekeeping too. */
  readonly runsWorker?: boolean;
  readonly syncChunkSize?: number;
  /** False records no field lineage: only bench:sync turns it off, to measure what recording costs. */
  readonly fieldLineage?: boolean;
  /** How long the read model gathers a mapping's change notifications before refreshing it (ms). */
  readonly readModelWindowMs?: number;
  readonly tokenPolicy?: TokenPolicy;
  /** Which ERP and CRM to reach; both PostgreSQL stores when left out. */
  readonly systems?: SystemsConfig;
  /** The connectors themselves, made by the caller (tests give the products' clients budgets of their own). */
  readonly connectedSystems?: (stores: Stores) => ConnectedSystems;
}

const STORES_ARE_SYSTEMS: SystemsConfig = { erp: { kind: 'postgres' }, crm: { kind: 'postgres' } };

/** Records per side one refresh of the read model indexes in one transaction (what a coupling write may wait for). */
const READ_MODEL_BATCH = 2_000;

/** Builds the long-lived services over open stores. */
export function createServices(stores: Stores, secret: string, options: ServiceOptions = {}): GatewayServices {
  const systems = options.connectedSystems?.(stores) ?? connectSystems(stores, options.systems ?? STORES_ARE_SYSTEMS);
  const { connectors } = systems;
  const discovery = new DiscoveryService(connectors, stores.integration);
  const jobs = new JobLogService(stores.integration);
  const jobStates = new SyncJobStates(stores.integration);
  const integrationUrl = storeUrl(stores.integration);
  const queue = new JobQueue(integrationUrl, { supervise: options.runsWorker ?? false });
  const translator = new ReferenceTranslator(connectors, stores.integration);
  const transformer = new FieldTransformer(connectors, translator);
  const progress = new ProgressPublisher(stores.integration);
  const sync = new SyncEngine(connectors, stores.integration, transformer, new CompanionRecords(connectors.crm), jobStates, queue, progress, {
    ...(options.syncChunkSize ? { chunkSize: options.syncChunkSize } : {}),
    ...(options.fieldLineage === false ? { fieldLineage: false } : {}),
  });
  const recordSync = new RecordSyncService(sync);
  const coupling = new CouplingService(connectors, stores.integration, new CouplingPrerequisites(connectors, stores.integration), jobStates);
  const salesOrderTransfer = new SalesOrderTransferService(connectors, stores.integration, transformer, translator, jobStates);
  const progressHub = new ProgressHub(integrationUrl);
  const fullSync = new FullSyncService(stores.integration, queue, jobStates, progress, (mappingName, side) => sync.toRead(mappingName, side));
  const lists = new UnifiedListService(stores.integration);
  const deadlines = new OperationDeadlines([stores.erp, stores.crm, stores.integration]);
  const compiledReads = CompiledReads.available(stores) ? new CompiledReads(stores, lists, deadlines) : null;
  const readModel = new ReadModelFollower({ erp: storeUrl(stores.erp), crm: storeUrl(stores.crm) }, stores.integration, discovery, compiledReads?.references ?? null, {
    windowMs: options.readModelWindowMs ?? 20,
    batchSize: READ_MODEL_BATCH,
  });
  return {
    stores,
    connectors,
    systems,
    discovery,
    readModel,
    lists,
    deadlines,
    compiledReads,
    readsAhead: true,
    tokens: new TokenService(secret, options.tokenPolicy),
    mappings: new MappingAdminService(stores.integration, connectors),
    coupling,
    jobs,
    jobStates,
    sync,
    recordSync,
    matchCoupling: new MatchCouplingService(connectors, stores.integration, jobStates, recordSync),
    syncErrors: new SyncErrorService(connectors, stores.integration, sync),
    fieldHistory: new FieldHistoryService(stores.integration),
    possibleDuplicates: new PossibleDuplicateService(stores.integration, new DuplicateQueue(stores.integration), coupling, recordSync),
    mappingRuns: new MappingRunService(sync, salesOrderTransfer, jobStates),
    connectionSetup: new ConnectionSetupService(connectors, stores.integration),
    systemConnections: new SystemConnectionsService(systems.systems, stores),
    salesOrderTransfer,
    pricing: new SalesPriceService(),
    availability: new ItemAvailabilityService(),
    queue,
    fullSync,
    fullSyncDryRun: new FullSyncDryRun(stores.integration, sync, jobStates),
    fullSyncReview: new FullSyncReviewService(stores.integration, connectors, fullSync),
    fullSyncRunner: new FullSyncJobRunner(stores.integration, sync, fullSync, jobStates, progress),
    progress,
    progressStreams: new ProgressStreams(progressHub, stores.integration, fullSync),
    close: async () => {
      await Promise.all([queue.stop(), progressHub.stop(), readModel.stop(), systems.stopReplication()]);
    },
  };
}

/** Starts a background worker in this process, over the services' stores and job engine. */
export async function startWorker(services: GatewayServices, options: WorkerOptions): Promise<SyncWorker> {
  const { stores } = services;
  const worker = new SyncWorker(
    { erp: storeUrl(stores.erp), crm: storeUrl(stores.crm) },
    stores.integration,
    services.queue,
    services.jobStates,
    services.sync,
    services.mappingRuns,
    services.fullSyncRunner,
    services.fullSync,
    options,
  );
  await worker.start();
  return worker;
}

/**
 * Gets the databases ready: an embedded PostgreSQL when no DATABASE_URL is set, migrations, the
 * standard mappings, and what the entry point prepares (the demo company); then starts the read model, whose
 * catch-up goes on in the background (`/readyz` says when it is complete).
 */
export async function prepareGateway(
  config: GatewayConfig,
  prepareData?: DataPreparation,
  log: (message: string) => void = (message) => logger.info(message),
): Promise<PreparedGateway> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log(`No DATABASE_URL: starting the embedded PostgreSQL (data in ${config.embeddedPostgresDir})`);
    embedded = await startEmbeddedPostgres(config.embeddedPostgresDir, config.embeddedPostgresPort);
    databaseUrl = embedded.url;
  }
  let stores: Stores | null = null;
  try {
    stores = await openStores(
      { erp: config.erpDatabaseUrl ?? databaseUrl, crm: config.crmDatabaseUrl ?? databaseUrl, integration: databaseUrl },
      { logSql: config.logSql, connect: config.databaseConnect, variables: config.databaseConnect.variables },
    );
    await installStandardMappings(stores.integration);
    const secret = config.authJwtSecret ?? TokenService.generateSecret();
    const services = createServices(stores, secret, {
      runsWorker: config.worker.inProcess,
      syncChunkSize: config.worker.syncChunkSize,
      readModelWindowMs: config.readModelWindowMs,
      tokenPolicy: { issuer: config.auth.issuer, audience: config.auth.audience, maxLifetimeSeconds: config.auth.maxTokenLifetimeSeconds },
      systems: config.systems,
    });
    await prepareData?.(stores, config, log);
    await services.readModel.start();
    services.systems.startReplication(config.mirrorPollMs);
    const opened = stores;
    return {
      services,
      secretGenerated: config.authJwtSecret === null,
      databaseUrl,
      close: async () => {
        await services.close();
        await closeStores(opened);
        await embedded?.stop();
      },
    };
  } catch (error) {
    if (stores) await closeStores(stores);
    await embedded?.stop();
    throw error;
  }
}
