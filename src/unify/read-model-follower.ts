import type { DataSource } from 'typeorm';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { CHANGE_CHANNEL } from '../db/migrations/change-notifications.sql';
import { NotificationListener } from '../db/notification-listener';
import { logger } from '../observability/logger';
import type { ResolvedReferences } from './compiled/resolved-references';
import type { DiscoveryService } from './discovery.service';

/** How far the read model has followed one mapping since this process started. */
export interface MappingIndexProgress {
  readonly mapping: string;
  /** Records read from both sides' change feeds and indexed. */
  readonly indexed: number;
  /** Every record committed before the follower started is indexed. */
  readonly complete: boolean;
}

export interface ReadModelProgress {
  /** Every mapping's catch-up is complete. */
  readonly complete: boolean;
  readonly mappings: readonly MappingIndexProgress[];
}

export interface ReadModelFollowerOptions {
  /** How long the first change of a mapping waits for others to share its refresh. */
  readonly windowMs: number;
  /** Records per side that one refresh transaction indexes. */
  readonly batchSize: number;
}

/**
 * Lock conflicts that abort a refresh and are worth running it again for: a deadlock or a
 * serialization failure, or the index lock not granted in time (see lockMappingRecords).
 */
const RETRYABLE = new Set(['40P01', '40001', '55P03']);
const RETRY_DELAYS_MS = [20, 50, 100, 250, 500, 1_000, 2_000];
/** After any other failure (a store unreachable), the mapping is refreshed again after this long. */
const FAILURE_DELAY_MS = 1_000;

const sqlState = (error: unknown): string | undefined => {
  const failure = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = failure.driverError?.code ?? failure.code;
  return typeof code === 'string' ? code : undefined;
};

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Keeps the unified index (integration_record) current from the write side, so that reads only
 * read. It LISTENs to the change notifications of the ERP's and the CRM's databases (one per
 * table and committed statement), gathers them per mapping for a short window and refreshes the
 * mappings whose tables changed, batch after batch, until their change feeds have nothing more.
 * At start it catches up on every mapping (what was committed while no follower ran), and after
 * a lost LISTEN connection, on which notifications may have been missed, it refreshes them all.
 * After each round it resolves again the to-one references whose targets or links changed (see
 * ResolvedReferences), when compiled reads read them.
 *
 * Every gateway process runs one, and any number may run at once: index writes are idempotent
 * and the cursors only move forward (see DiscoveryService).
 */
export class ReadModelFollower {
  private readonly listeners: NotificationListener[];
  /** Mapping names by `schema.table`, as the notifications name tables. */
  private readonly mappingsOfTable = new Map<string, string[]>();
  private readonly progressOf = new Map<string, { indexed: number; complete: boolean }>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private indexedSinceSettled = 0;
  /** Whether the references have been resolved since start (always, when there are none to keep). */
  private referencesResolved: boolean;
  /** Whether a change since the last resolution may have left them stale: only then is a round followed by a check. */
  private referencesStale: boolean;
  private readonly completed: Promise<void>;
  private markCompleted!: () => void;

  constructor(
    urls: { readonly erp: string; readonly crm: string },
    private readonly integration: DataSource,
    private readonly discovery: DiscoveryService,
    private readonly references: ResolvedReferences | null,
    private readonly options: ReadModelFollowerOptions,
  ) {
    this.referencesResolved = references === null;
    this.referencesStale = references !== null;
    const distinct = [...new Set([urls.erp, urls.crm])];
    this.listeners = distinct.map(
      (url) =>
        new NotificationListener(
          url,
          CHANGE_CHANNEL,
          (table) => this.changed(table),
          () => this.changed(null),
        ),
    );
    this.completed = new Promise((resolve) => (this.markCompleted = resolve));
  }

  /** Listens, then starts the catch-up in the background; returns without waiting for it. */
  async start(): Promise<void> {
    const mappings = await this.integration.getRepository(TableMapping).find({ order: { sequence: 'ASC' } });
    for (const mapping of mappings) {
      for (const table of [`erp.${mapping.erpTable}`, `crm.${mapping.crmTable}`]) this.mappingsOfTable.set(table, [...(this.mappingsOfTable.get(table) ?? []), mapping.name]);
      this.progressOf.set(mapping.name, { indexed: 0, complete: false });
    }
    // Listening first: whatever commits from here on is announced, whatever came before is caught up on.
    await Promise.all(this.listeners.map((listener) => listener.start()));
    this.mark([...this.progressOf.keys()], 0);
    if (this.progress().complete) this.markCompleted();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all(this.listeners.map((listener) => listener.stop()));
    await this.draining;
  }

  progress(): ReadModelProgress {
    const mappings = [...this.progressOf].map(([mapping, { indexed, complete }]) => ({ mapping, indexed, complete }));
    return { complete: this.referencesResolved && mappings.every((mapping) => mapping.complete), mappings };
  }

  /** Whether each LISTEN connection (one per distinct system database) is up. */
  listening(): boolean[] {
    return this.listeners.map((listener) => listener.connected);
  }

  /** Resolves once every mapping has been caught up on. */
  whenComplete(): Promise<void> {
    return this.completed;
  }

  /** `table` is `schema.table`; null after a reconnect, when any table may have changed unheard. */
  private changed(table: string | null): void {
    const mappings = table === null ? [...this.progressOf.keys()] : (this.mappingsOfTable.get(table) ?? []);
    if (this.references?.staledBy(table, mappings)) this.referencesStale = true;
    this.mark(mappings, this.options.windowMs);
  }

  /** Queues mappings for a refresh (and a round, when the references may be stale); a drain under way takes them when it has done its current ones. */
  private mark(mappings: readonly string[], delayMs: number): void {
    if (this.stopped || (mappings.length === 0 && !this.referencesStale)) return;
    for (const mapping of mappings) this.dirty.add(mapping);
    if (this.timer || this.draining) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draining = this.drain().finally(() => {
        this.draining = null;
        // Marked while the last refreshes finished, or after a failure: another round.
        if (this.dirty.size > 0 || this.referencesStale) this.mark([], this.options.windowMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (this.dirty.size > 0 && !this.stopped) {
      // In the standard dependency order, as the mappings were listed.
      const mappings = [...this.progressOf.keys()].filter((mapping) => this.dirty.has(mapping));
      this.dirty.clear();
      for (const mapping of mappings) {
        if (this.stopped) return;
        await this.follow(mapping);
      }
    }
    if (this.referencesStale) await this.resolveReferences();
    if (this.progress().complete) this.markCompleted();
    if (this.progress().complete && this.indexedSinceSettled > 0) {
      const indexed = this.indexedSinceSettled;
      this.indexedSinceSettled = 0;
      await this.discovery.settle(indexed).catch((error: unknown) => this.report('settling the index', error));
    }
  }

  /** Refreshes one mapping until its change feeds have nothing more; a failure queues it again. */
  private async follow(mapping: string): Promise<void> {
    const progress = this.progressOf.get(mapping)!;
    try {
      for (let more = true; more && !this.stopped;) {
        const refresh = await this.refreshRetrying(mapping);
        progress.indexed += refresh.read;
        this.indexedSinceSettled += refresh.read;
        more = refresh.more;
      }
    } catch (error) {
      if (this.stopped) return;
      this.report(`refreshing ${mapping}`, error);
      await pause(FAILURE_DELAY_MS);
      this.dirty.add(mapping);
      return;
    }
    progress.complete = true;
  }

  /** A failure leaves them to the next round, which it asks for; reads meanwhile answer through the loaders. */
  private async resolveReferences(): Promise<void> {
    if (!this.references || this.stopped) return;
    this.referencesStale = false;
    try {
      await this.references.refreshStale();
      this.referencesResolved = true;
    } catch (error) {
      this.referencesStale = true;
      if (this.stopped) return;
      this.report('resolving references', error);
      await pause(FAILURE_DELAY_MS);
    }
  }

  /** Runs a refresh until it gets through: the conflicts it retries end when the writers they met commit. */
  private async refreshRetrying(mapping: string) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.discovery.refreshMapping(mapping, this.options.batchSize);
      } catch (error) {
        const state = sqlState(error);
        if (!state || !RETRYABLE.has(state) || this.stopped) throw error;
        await pause(RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!);
      }
    }
  }

  private report(what: string, error: unknown): void {
    logger.warn({ err: error }, `read model: ${what} failed`);
  }
}
