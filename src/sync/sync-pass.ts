import type { EntityManager } from 'typeorm';
import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import { FilterOperator, type RecordFilter } from '../../entities/integration/record-filter';
import type { ChangeCursor, SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { addCounters, countedSince, type JobCounters } from '../jobs/job-counters';
import { runChunkPipeline } from './chunk-pipeline';
import type { ChunkPlan, ChunkWriter } from './chunk-writer';
import { writerTo } from './run-writers';
import { couplingKeys, sharesAKey } from './coupling-keys';
import type { MappingStatistics } from './mapping-statistics';
import type { PairLoader } from './pair-loader';
import type { BatchOutcome, SyncOutcomes } from './sync-outcomes';
import type { RunContext } from './sync-run';

/** What a chunk of a pass hands to its caller inside the chunk's transaction. */
export interface CommittedChunk {
  readonly read: number;
  readonly last: ChangeCursor;
  readonly counters: JobCounters;
}

/** What a resumable pass adds to a plain one. */
export interface PassOptions {
  readonly after?: ChangeCursor | null;
  /** Asked before each chunk is read; false ends the pass there. */
  readonly shouldContinue?: () => Promise<boolean>;
  readonly inTransaction?: (manager: EntityManager, chunk: CommittedChunk) => Promise<void>;
  /** After each chunk's commit, with the counters of all chunks committed so far. */
  readonly committed?: (counters: JobCounters) => Promise<void>;
}

/** A chunk of one side's change feed, its pairs loaded and planned. */
interface PassChunk {
  readonly plan: ChunkPlan;
  /** Records read, before those this run had written itself were left out. */
  readonly read: number;
  /** Whether the chunk was full, so that more may follow. */
  readonly full: boolean;
  readonly cursor: ChangeCursor;
}

/**
 * The CRM integration user's changes are the engine's own: the CRM pass would drop every one of
 * them (see needsCrmPass and decide), so it does not read them at all. A run that has just
 * written a whole table then reads nothing of it back.
 */
export function notByIntegrationUser(run: RunContext): RecordFilter | undefined {
  const user = run.rules.integrationUserId;
  return user === null ? undefined : [{ field: 'modifiedBy', op: FilterOperator.NE, value: user }];
}

/**
 * One side's change feed read in keyset chunks: the next chunk is read while the current one is
 * written, and each chunk's integration records and watermark commit after its write, in chunk order.
 */
export class SyncPass {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly pairs: PairLoader,
    private readonly writer: ChunkWriter,
    private readonly outcomes: SyncOutcomes,
    private readonly chunkSize: number,
    private readonly statistics: MappingStatistics,
  ) {}

  /** One side's changes since `since` (every record when null); returns whether it read them all. */
  async run(run: RunContext, side: SystemName, since: Date | null, options: PassOptions = {}): Promise<boolean> {
    const connector = this.connectors[side];
    const table = run.tables[side];
    const filter = side === 'crm' ? notByIntegrationUser(run) : undefined;
    // The ERP pass decides every pair whose ERP record changed; the CRM pass takes the rest.
    let recordedBefore = 0;
    const wanted = (link: IntegrationRecord | null, record: DomainRecord) => {
      if (this.recordedEarlier(run, side, link, record)) {
        recordedBefore += 1;
        return false;
      }
      return side === 'erp' || this.needsCrmPass(run, link, record);
    };
    // Left unread, the integration user's changes must not hold the watermark back, or every later run would scan them again.
    const end = filter ? await connector.lastChange(table) : null;
    let stopped = false;
    const committedSoFar: JobCounters = {};
    let keysInFlight = new Set<string>();
    // A dry run writes no couplings, whatever it counts.
    const coupled = run.dryRun ? null : this.statistics.forPass();
    await runChunkPipeline<PassChunk, { outcome: BatchOutcome; counters: JobCounters }>({
      read: async (previous) => {
        if (previous && !previous.full) return null;
        if (options.shouldContinue && !(await options.shouldContinue())) {
          stopped = true;
          return null;
        }
        const records: DomainRecord[] = await connector.changesSince(table, since, { limit: this.chunkSize, after: previous?.cursor ?? options.after ?? null, filter });
        if (records.length === 0) return null;
        const last = records[records.length - 1]!;
        // A record this run has written is decided already; its coupling may not be committed yet.
        const changed = records.filter((record) => !this.writtenByThisRun(run, side, record));
        const recordedSoFar = recordedBefore;
        const plan = await this.writer.planPairs(run, await this.pairs.pairsOf(run, side, changed, wanted));
        return {
          plan,
          // Records the run wrote itself come round again at the end of the order; they count once.
          read: changed.length - (recordedBefore - recordedSoFar),
          full: records.length === this.chunkSize,
          cursor: { modifiedAt: last.modifiedAt as Date, key: connector.keyOf(table, last) },
        };
      },
      // Writes run one chunk at a time, so what the counters gain during one is that chunk's.
      write: async (chunk) => {
        const before = { ...run.counters };
        const outcome = await this.writer.applyPlan(run, chunk.plan);
        run.processed += chunk.read;
        return { outcome, counters: countedSince(run.counters, before) };
      },
      commit: async (chunk, written, previous) => {
        const keys = couplingKeys(written.outcome.rows);
        const overlapping = sharesAKey(keys, keysInFlight);
        keysInFlight = keys;
        // A row the previous chunk's open transaction holds would block this one's insert while that
        // transaction waits for this commit's turn to pass: a deadlock PostgreSQL cannot see. A record
        // edited during the pass comes round again in the next chunk, so such chunks commit one after the other.
        if (overlapping) await previous;
        await this.writer.commitLinks(
          run,
          this.outcomes.prepareLinks(run, written.outcome),
          { side, last: chunk.cursor.modifiedAt },
          (manager) => (options.inTransaction ? options.inTransaction(manager, { read: chunk.read, last: chunk.cursor, counters: written.counters }) : Promise.resolve()),
          previous,
        );
        await coupled?.(written.counters);
        await options.committed?.(addCounters(committedSoFar, written.counters));
      },
    });
    if (stopped) return false;
    if (end) await this.writer.commitLinks(run, this.outcomes.prepareLinks(run, { rows: [], writes: [] }), { side, last: end.modifiedAt });
    return true;
  }

  /** Written by this attempt of the run: decided already, and its coupling commits with its chunk. */
  private writtenByThisRun(run: RunContext, side: SystemName, record: DomainRecord): boolean {
    return record.modifiedBy === writerTo(run, side) && (record.modifiedAt as Date).getTime() >= run.attemptStartedAt.getTime();
  }

  /**
   * Written by an earlier attempt of a resumed run, and recorded: its coupling says it was synced as
   * it is now. One whose coupling never committed (its worker died in between) is decided again.
   */
  private recordedEarlier(run: RunContext, side: SystemName, link: IntegrationRecord | null, record: DomainRecord): boolean {
    if (run.attemptStartedAt.getTime() === run.startedAt.getTime() || record.modifiedBy !== writerTo(run, side)) return false;
    // Written before this run started (by another run): read for the first time now, and counted.
    if ((record.modifiedAt as Date).getTime() < run.startedAt.getTime()) return false;
    const synced = side === 'erp' ? link?.lastSyncedErpModifiedAt : link?.lastSyncedCrmModifiedAt;
    return Boolean(link && synced && synced.getTime() === (record.modifiedAt as Date).getTime());
  }

  /**
   * The ERP pass decides every pair whose ERP record changed, so the CRM pass takes only pairs
   * whose CRM record changed and that this run has not written yet. Nothing per record needs to be
   * remembered between the passes, so memory stays flat however large the run.
   */
  private needsCrmPass(run: RunContext, link: IntegrationRecord | null, crm: DomainRecord): boolean {
    if (!link?.erpId || !link.crmId) return true;
    if (link.modifiedAt.getTime() >= run.startedAt.getTime() && link.modifiedBy === 'sync') return false;
    // A dry run's ERP pass wrote nothing, and remembers what it decided instead.
    if (run.dryRun?.decidedEarlier(link)) return false;
    const byIntegration = run.rules.integrationUserId !== null && crm.modifiedBy === run.rules.integrationUserId;
    return !byIntegration && (link.lastSyncedCrmModifiedAt === null || (crm.modifiedAt as Date).getTime() > link.lastSyncedCrmModifiedAt.getTime());
  }
}
