import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SyncJobStatus } from '../../../entities/integration/sync-job.entity';
import type { Stores } from '../../db/data-sources';
import { Queue } from '../../jobs/job-queue';
import { logger } from '../../observability/logger';
import { readStoreState, type StoreState } from './store-state';

/** Seconds, from a cached page (a few ms) to an operation that hits the deadline. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Operation names come from clients: past this many distinct ones, the rest share one label. */
const MAX_OPERATION_NAMES = 200;

/** A scrape reads the store once; the collectors that need it within this window share that read. */
const STORE_STATE_TTL_MS = 1_000;

/**
 * The gateway's Prometheus metrics, in a registry of its own (served at /metrics): request and
 * operation latency, errors by code, live sockets and subscriptions, the pools, the process
 * (event-loop lag, memory, CPU), and, read from the integration store at scrape time so that
 * every worker process counts, synchronisation jobs by state, records by mapping and outcome, and
 * queue depth.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();
  private storeState: { at: number; state: Promise<StoreState | null> } | null = null;

  readonly httpDuration = this.latency('gateway_http_request_duration_seconds', 'HTTP requests by method, route and status', ['method', 'route', 'status']);

  readonly operationDuration = this.latency(
    'gateway_graphql_operation_duration_seconds',
    'GraphQL operations (HTTP, and graphql-ws subscriptions from subscribe to end) by operation name, type and outcome',
    ['operation', 'type', 'outcome'],
  );

  readonly errors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'Errors returned to clients, by public code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly compiledReads = this.latency(
    'gateway_compiled_read_duration_seconds',
    'One-statement reads of unified records (a page, or a batch of lookups by id), by kind and outcome',
    ['kind', 'outcome'],
  );

  readonly sockets = new Gauge({ name: 'gateway_websocket_connections', help: 'Open graphql-ws sockets', registers: [this.registry] });

  readonly subscriptions = new Gauge({ name: 'gateway_graphql_subscriptions_active', help: 'Active GraphQL subscriptions', registers: [this.registry] });

  constructor(stores: Stores) {
    collectDefaultMetrics({ register: this.registry });
    const readStore = () => this.readStore(stores);
    new Gauge({
      name: 'gateway_db_pool_connections',
      help: 'Connections of each store pool: total, idle, and requests waiting for one',
      labelNames: ['store', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const store of ['erp', 'crm', 'integration'] as const) {
          const pool = (stores[store].driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
          if (!pool) continue;
          this.set({ store, state: 'total' }, pool.totalCount);
          this.set({ store, state: 'idle' }, pool.idleCount);
          this.set({ store, state: 'waiting' }, pool.waitingCount);
        }
      },
    });
    new Gauge({
      name: 'gateway_sync_jobs',
      help: 'Synchronisation jobs in the job log, by status',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const state = await readStore();
        this.reset();
        if (!state) return;
        for (const status of Object.values(SyncJobStatus)) this.set({ state: status }, 0);
        for (const row of state.jobs) this.set({ state: row.status }, row.count);
      },
    });
    new Counter({
      name: 'gateway_sync_records_total',
      help: 'Records synchronised, by mapping and outcome (summed over the job log)',
      labelNames: ['mapping', 'outcome'] as const,
      registers: [this.registry],
      async collect() {
        const state = await readStore();
        this.reset();
        for (const row of state?.records ?? []) this.inc({ mapping: row.mapping, outcome: row.outcome }, row.count);
      },
    });
    new Gauge({
      name: 'gateway_job_queue_depth',
      help: 'Job engine queue entries not finished, by queue and state (created, retry, active)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const state = await readStore();
        this.reset();
        if (!state) return;
        for (const queue of Object.values(Queue)) for (const waiting of ['created', 'retry', 'active']) this.set({ queue, state: waiting }, 0);
        for (const row of state.queue) this.set({ queue: row.queue, state: row.state }, row.count);
      },
    });
  }

  /** A latency histogram in seconds, in this registry. */
  private latency<Label extends string>(name: string, help: string, labelNames: readonly Label[]): Histogram<Label> {
    return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  }

  /** An operation name as a label: bounded, so that clients inventing names cannot grow the registry without end. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return '(other)';
    this.names.add(name);
    return name;
  }

  private readStore(stores: Stores): Promise<StoreState | null> {
    const now = Date.now();
    if (!this.storeState || now - this.storeState.at > STORE_STATE_TTL_MS) {
      const state = readStoreState(stores.integration).catch((error: unknown) => {
        logger.warn({ err: error }, 'metrics: cannot read the integration store; its series are left out of this scrape');
        return null;
      });
      this.storeState = { at: now, state };
    }
    return this.storeState.state;
  }
}
