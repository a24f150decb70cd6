import { registerEnumType } from 'type-graphql';
import { In, type DataSource, type EntityManager, type ObjectLiteral } from 'typeorm';
import { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import { SyncJobStatus, SyncJobType, type SyncJob } from '../../entities/integration/sync-job.entity';
import { DeletionConflictResolution, TableMapping } from '../../entities/integration/table-mapping.entity';
import { FilterOperator, type RecordFilter } from '../../entities/integration/record-filter';
import { matchesFilter } from '../connectors/filter-match';
import type { ChangeCursor, SystemConnector, SystemName } from '../connectors/system-connector';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { NEVER_SYNCED } from '../coupling/coupling-values';
import { linksByKey } from '../coupling/links-by-key';
import { DomainError, notFound, refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { JobCounters, JobLogService } from '../jobs/job-log.service';
import { transferredMappings } from '../mappings/standard-mappings';
import type { CompanionRecords } from './companion-records';
import type { FieldTransformer, WriteOutcome } from './field-transformer';
import { mappingLockName } from './mapping-lock';
import { decide, ERP_WRITER, type PairState } from './sync-decision';
import { isUniqueViolation, SyncOutcomes, type PreparedLinks } from './sync-outcomes';
import type { RunContext } from './sync-run';
import { runChunkPipeline } from './chunk-pipeline';
import { couplingKeys, sharesAKey } from './coupling-keys';
import { lockMappingRecords } from '../unify/mapping-records-lock';

export enum SyncMode {
  /** Records changed since the mapping's watermarks (less an overlap). */
  INCREMENTAL = 'INCREMENTAL',
  /** Every record of both tables. */
  FULL = 'FULL',
}

registerEnumType(SyncMode, { name: 'SyncMode' });

/** What an operator decides for a reported record. */
export enum SyncResolution {
  /** Copy the ERP side to the CRM. */
  ERP_WINS = 'ERP_WINS',
  /** Copy the CRM side to the ERP. */
  CRM_WINS = 'CRM_WINS',
  /** A deleted record: recreate it from the other side. */
  RESTORE = 'RESTORE',
  /** A deleted record: keep the survivor, uncoupled. */
  REMOVE_COUPLING = 'REMOVE_COUPLING',
  /** A deleted record: delete the survivor too. */
  DELETE_SURVIVOR = 'DELETE_SURVIVOR',
}

registerEnumType(SyncResolution, { name: 'SyncResolution' });

/** ERP-side modified-by of the engine's own writes (the CRM side uses the integration user). */
export const ERP_INTEGRATION_USER = ERP_WRITER;

export interface SyncOptions {
  /** Incremental runs re-read this much before the watermark, so a late commit is never missed. */
  readonly overlapMs: number;
  readonly chunkSize: number;
}

/** Runs inside a chunk's transaction, after its couplings and watermark. */
type ChunkHook = (manager: EntityManager) => Promise<void>;

/** One side of a full synchronisation of one mapping, as a background job runs it (see runResumable). */
export interface ResumableRun {
  readonly mappingName: string;
  /** The side whose records are read: 'erp' for a to-CRM job, 'crm' for a from-CRM job. */
  readonly side: SystemName;
  /** Where an interrupted job left off: the last record of its last committed chunk. */
  readonly after: ChangeCursor | null;
  /**
   * When a resumed job first started: what it wrote before the interruption is its own, as what
   * a run writes is (read again at the end of the keyset order, it is not decided twice).
   */
  readonly startedAt: Date | null;
  /** Whether the mapping's deletion policy runs once every record has been read (the mapping's last job). */
  readonly handleDeletions: boolean;
  /**
   * Called once the mapping's lock is held, before the first chunk, with the time the run counts
   * as started and the number of records the pass is about to read.
   */
  begin(startedAt: Date, toRead: number): Promise<void>;
  /** Asked before each chunk; false stops the run between chunks. */
  shouldContinue(): Promise<boolean>;
  onChunk(manager: EntityManager, chunk: { read: number; last: ChangeCursor; counters: JobCounters }): Promise<void>;
  /** Called after each chunk's transaction has committed. */
  afterChunk(): Promise<void>;
}

/** What a resumable pass adds to a plain one. */
interface PassOptions {
  readonly after?: ChangeCursor | null;
  /** Asked before each chunk is read; false ends the pass there. */
  readonly shouldContinue?: () => Promise<boolean>;
  readonly inTransaction?: (manager: EntityManager, chunk: { read: number; last: ChangeCursor; counters: JobCounters }) => Promise<void>;
  /** After each chunk's commit, with the counters of all chunks committed so far. */
  readonly committed?: (counters: JobCounters) => Promise<void>;
}

const sum = (total: JobCounters, more: JobCounters): JobCounters => {
  for (const [name, value] of Object.entries(more)) total[name as keyof JobCounters] = (total[name as keyof JobCounters] ?? 0) + value;
  return { ...total };
};

const difference = (now: Required<JobCounters>, before: JobCounters): JobCounters =>
  Object.fromEntries(Object.entries(now).map(([name, value]) => [name, value - (before[name as keyof JobCounters] ?? 0)]));

/** One record to write, as a chunk's plan holds it. */
interface PlannedWrite {
  readonly pair: PairState;
  readonly to: SystemName;
  readonly create: boolean;
  readonly outcome: WriteOutcome;
}

/** What a chunk's pairs need: the records to write to each side, the conflicts, and how many were unchanged. */
interface ChunkPlan {
  readonly writes: PlannedWrite[];
  readonly conflicts: PairState[];
  readonly unchanged: number;
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

const DEFAULTS: SyncOptions = { overlapMs: 5_000, chunkSize: 2_000 };


/**
 * Synchronises one table mapping: reads each side's changes since its watermark (all records in a
 * full run) in chunks, decides per pair what the rules say, writes each side's changes in one bulk
 * statement per chunk, then records couplings, results and the watermark in one transaction.
 */
export class SyncEngine {
  private readonly options: SyncOptions;
  private readonly outcomes: SyncOutcomes;

  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly transformer: FieldTransformer,
    private readonly companions: CompanionRecords,
    private readonly jobs: JobLogService,
    options: Partial<SyncOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.outcomes = new SyncOutcomes(connectors, integration);
  }

  /** Synchronises a whole mapping: changes since its watermarks, or every record. */
  async runMapping(mappingName: string, mode: SyncMode, requestedBy: string): Promise<SyncJob> {
    return this.run(mappingName, requestedBy, null, async (run) => {
      for (const side of ['erp', 'crm'] as const) {
        const watermark = side === 'erp' ? run.mapping.erpSyncedUntil : run.mapping.crmSyncedUntil;
        await this.runPass(run, side, mode === SyncMode.FULL || !watermark ? null : new Date(watermark.getTime() - this.options.overlapMs));
      }
      // A deletion leaves no change behind, so only a full run looks for couplings that lost a side.
      if (mode === SyncMode.FULL) await this.handleDeletions(run);
      else await this.retryFailed(run);
    });
  }

  /**
   * One side of a full synchronisation of a mapping, resumable: every record of `side` from the
   * position after `after`, chunk by chunk, creating counterparts of uncoupled records. Each
   * chunk's `onChunk` runs inside the transaction that records its couplings and watermark, so the
   * caller's resume position and counters move with them. Returns whether it read everything, and
   * the counters not yet handed to `onChunk` (the deletion policy's).
   */
  async runResumable(spec: ResumableRun): Promise<{ completed: boolean; counters: JobCounters }> {
    let completed = false;
    let handedOver: JobCounters = {};
    const run = await this.withRun(spec.mappingName, null, { createUncoupled: true, startedAt: spec.startedAt ?? undefined }, async (run) => {
      await spec.begin(run.startedAt, await this.connectors[spec.side].count(run.tables[spec.side], spec.side === 'crm' ? this.notByIntegrationUser(run) : undefined));
      const finished = await this.runPass(run, spec.side, null, {
        after: spec.after,
        shouldContinue: spec.shouldContinue,
        inTransaction: (manager, chunk) => spec.onChunk(manager, chunk),
        committed: async (counters) => {
          handedOver = counters;
          await spec.afterChunk();
        },
      });
      if (!finished || !(await spec.shouldContinue())) return;
      if (spec.handleDeletions) await this.handleDeletions(run);
      completed = true;
    });
    return { completed, counters: difference(run.counters, handedOver) };
  }

  /**
   * Synchronises the given records of one mapping now; with a direction, a coupled pair is copied
   * that way whether or not it changed.
   */
  async syncRecords(mappingName: string, keys: Readonly<Record<SystemName, readonly string[]>>, direction: 'crm' | 'erp' | null, requestedBy: string): Promise<SyncJob> {
    if (direction) {
      const mapping = await this.integration.getRepository(TableMapping).findOneBy({ name: mappingName });
      const wanted = direction === 'crm' ? SyncDirection.TO_CRM : SyncDirection.FROM_CRM;
      if (mapping && mapping.direction !== SyncDirection.BIDIRECTIONAL && mapping.direction !== wanted) {
        throw refused(ErrorCode.DIRECTION_NOT_ALLOWED, `${mappingName} runs ${mapping.direction}; its records cannot be synchronised ${wanted}`);
      }
    }
    return this.run(mappingName, requestedBy, direction, async (run) => {
      for (const side of ['erp', 'crm'] as const) {
        for (let start = 0; start < keys[side].length; start += this.options.chunkSize) {
          const records = await this.connectors[side].getByKeys(run.tables[side], keys[side].slice(start, start + this.options.chunkSize));
          if (records.length > 0) await this.processChunk(run, side, records);
        }
      }
    });
  }

  /**
   * Resolves reported records (integration records) of one mapping: a winning side is copied to
   * the other; a coupling that lost a side is restored, removed, or its survivor deleted.
   */
  async resolve(mappingName: string, linkIds: readonly string[], resolution: SyncResolution, requestedBy: string): Promise<SyncJob> {
    const links = await this.integration.getRepository(IntegrationRecord).findBy({ mappingName, id: In([...linkIds]) });
    const forced = resolution === SyncResolution.ERP_WINS ? 'crm' : resolution === SyncResolution.CRM_WINS ? 'erp' : null;
    return this.run(mappingName, requestedBy, forced, async (run) => {
      const pairs = await this.pairsOfLinks(run, links);
      if (forced) {
        const present = pairs.filter((pair) => pair[forced === 'crm' ? 'erp' : 'crm']);
        if (present.length > 0) await this.processPairs(run, present, null);
        return;
      }
      const broken = pairs.filter((pair) => pair.link.erpId && pair.link.crmId && (!pair.erp || !pair.crm));
      if (resolution === SyncResolution.DELETE_SURVIVOR) {
        for (const system of ['erp', 'crm'] as const) {
          const survivors = broken.flatMap((pair) => (pair[system] ? [this.connectors[system].keyOf(run.tables[system], pair[system]!)] : []));
          run.counters.deleted += await this.connectors[system].delete(run.tables[system], survivors);
        }
        await this.integration.transaction(async (manager) => {
          await lockMappingRecords(manager, mappingName, 'coupling');
          await manager.delete(IntegrationRecord, { id: In(broken.map((pair) => pair.link.id)) });
        });
        return;
      }
      await this.applyDeletionPolicy(run, broken, resolution === SyncResolution.RESTORE ? DeletionConflictResolution.RESTORE : DeletionConflictResolution.REMOVE_COUPLING);
    });
  }

  /** Sets a run up, lets `work` process its chunks, and logs the job: finished, or failed with the reason. */
  private async run(mappingName: string, requestedBy: string, forced: 'crm' | 'erp' | null, work: (run: RunContext) => Promise<void>): Promise<SyncJob> {
    let run: RunContext | null = null;
    const job = { type: SyncJobType.SYNC, mappingName, direction: null as SyncDirection | null, requestedBy, startedAt: new Date() };
    try {
      run = await this.withRun(mappingName, forced, {}, async (started) => {
        run = started;
        job.direction = started.mapping.direction;
        await work(started);
      });
    } catch (error) {
      if (!run || (error instanceof DomainError && error.code === ErrorCode.SYNC_ALREADY_RUNNING)) throw error;
      const counters = (run as RunContext).counters;
      // Chunks already committed stay committed; the job says where the run stopped.
      await this.integration.transaction((manager) =>
        this.jobs.recordFinished(manager, { ...job, status: SyncJobStatus.FAILED, message: error instanceof Error ? error.message : String(error) }, counters),
      );
      throw error;
    }
    const finished = run;
    return this.integration.transaction((manager) =>
      this.jobs.recordFinished(manager, { ...job, message: finished.notes.size > 0 ? summarise(finished.notes) : null }, finished.counters),
    );
  }

  /** Sets a run up and lets `work` process it while holding the mapping's lock; returns the run with its counters. */
  private async withRun(mappingName: string, forced: 'crm' | 'erp' | null, options: { createUncoupled?: boolean; startedAt?: Date }, work: (run: RunContext) => Promise<void>): Promise<RunContext> {
    const attemptStartedAt = new Date();
    const startedAt = options.startedAt ?? attemptStartedAt;
    const mapping = await this.integration.getRepository(TableMapping).findOneBy({ name: mappingName });
    if (!mapping) throw notFound(`No table mapping named "${mappingName}"`, { argument: 'mapping' });
    if (transferredMappings.has(mapping.name)) {
      throw refused(ErrorCode.MAPPING_NOT_SYNCHRONISED, `${mapping.name}: a CRM sales order becomes an ERP sales order with its lines by a transfer, not field by field`);
    }
    const fields = await this.integration.getRepository(FieldMapping).find({ where: { tableMappingName: mapping.name }, order: { sequence: 'ASC' } });
    const run: RunContext = {
      mapping,
      fields,
      forced,
      rules: {
        direction: mapping.direction,
        // A full synchronisation creates the counterparts of uncoupled records whatever the mapping says.
        syncOnlyCoupledRecords: options.createUncoupled ? false : mapping.syncOnlyCoupledRecords,
        updateConflictResolution: mapping.updateConflictResolution,
        erpInScope: (record) => matchesFilter(record, mapping.erpFilter),
        crmInScope: (record) => matchesFilter(record, mapping.crmFilter),
        integrationUserId: await this.integrationUserId(),
      },
      tables: { erp: this.connectors.erp.table(mapping.erpTable), crm: this.connectors.crm.table(mapping.crmTable) },
      counters: { inserted: 0, modified: 0, deleted: 0, unchanged: 0, skipped: 0, failed: 0, coupled: 0, uncoupled: 0 },
      startedAt,
      attemptStartedAt,
      notes: new Map(),
      references: this.transformer.referencesForRun(),
    };
    const lock = this.integration.createQueryRunner();
    await lock.connect();
    try {
      // One writer per mapping, across every gateway and worker process on this integration store.
      const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [mappingLockName(mapping.name)]);
      if (!locked) throw refused(ErrorCode.SYNC_ALREADY_RUNNING, `${mapping.name} is being synchronised by another run; try again when it has finished`);
      await work(run);
      return run;
    } finally {
      await lock.query('SELECT pg_advisory_unlock_all()').catch(() => {});
      await lock.release();
    }
  }

  private async integrationUserId(): Promise<string | null> {
    const [user] = await this.connectors.crm.getByField(this.connectors.crm.table('system_user'), 'isIntegrationUser', [true]);
    return user ? this.connectors.crm.keyOf(this.connectors.crm.table('system_user'), user) : null;
  }

  /**
   * The CRM integration user's changes are the engine's own: the CRM pass would drop every one of
   * them (see needsCrmPass and decide), so it does not read them at all. A run that has just
   * written a whole table then reads nothing of it back.
   */
  private notByIntegrationUser(run: RunContext): RecordFilter | undefined {
    const user = run.rules.integrationUserId;
    return user === null ? undefined : [{ field: 'modifiedBy', op: FilterOperator.NE, value: user }];
  }

  /**
   * One side's changes since `since` (every record when null), in keyset chunks: the next chunk is
   * read while the current one is written, and each chunk's integration records and watermark
   * commit after its write, in chunk order.
   */
  private async runPass(run: RunContext, side: SystemName, since: Date | null, options: PassOptions = {}): Promise<boolean> {
    const connector = this.connectors[side];
    const table = run.tables[side];
    const filter = side === 'crm' ? this.notByIntegrationUser(run) : undefined;
    // The ERP pass decides every pair whose ERP record changed; the CRM pass takes the rest.
    let recordedBefore = 0;
    const wanted = (link: IntegrationRecord | null, record: ObjectLiteral) => {
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
    await runChunkPipeline<PassChunk, { rows: IntegrationRecord[]; counters: JobCounters }>({
      read: async (previous) => {
        if (previous && !previous.full) return null;
        if (options.shouldContinue && !(await options.shouldContinue())) {
          stopped = true;
          return null;
        }
        const records: ObjectLiteral[] = await connector.changesSince(table, since, { limit: this.options.chunkSize, after: previous?.cursor ?? options.after ?? null, filter });
        if (records.length === 0) return null;
        const last = records[records.length - 1]!;
        // A record this run has written is decided already; its coupling may not be committed yet.
        const changed = records.filter((record) => !this.writtenByThisRun(run, side, record));
        const recordedSoFar = recordedBefore;
        const plan = await this.planPairs(run, await this.pairsOf(run, side, changed, wanted));
        return {
          plan,
          // Records the run wrote itself come round again at the end of the order; they count once.
          read: changed.length - (recordedBefore - recordedSoFar),
          full: records.length === this.options.chunkSize,
          cursor: { modifiedAt: last.modifiedAt as Date, key: connector.keyOf(table, last) },
        };
      },
      // Writes run one chunk at a time, so what the counters gain during one is that chunk's.
      write: async (chunk) => {
        const before = { ...run.counters };
        const rows = await this.applyPlan(run, chunk.plan);
        return { rows, counters: difference(run.counters, before) };
      },
      commit: async (chunk, written, previous) => {
        const keys = couplingKeys(written.rows);
        const overlapping = sharesAKey(keys, keysInFlight);
        keysInFlight = keys;
        // A row the previous chunk's open transaction holds would block this one's insert while that
        // transaction waits for this commit's turn to pass: a deadlock PostgreSQL cannot see. A record
        // edited during the pass comes round again in the next chunk, so such chunks commit one after the other.
        if (overlapping) await previous;
        await this.commitLinks(
          run,
          this.outcomes.prepareLinks(written.rows),
          { side, last: chunk.cursor.modifiedAt },
          (manager) => (options.inTransaction ? options.inTransaction(manager, { read: chunk.read, last: chunk.cursor, counters: written.counters }) : Promise.resolve()),
          previous,
        );
        await options.committed?.(sum(committedSoFar, written.counters));
      },
    });
    if (stopped) return false;
    if (end) await this.commitLinks(run, this.outcomes.prepareLinks([]), { side, last: end.modifiedAt });
    return true;
  }

  /** Written by this attempt of the run: decided already, and its coupling commits with its chunk. */
  private writtenByThisRun(run: RunContext, side: SystemName, record: ObjectLiteral): boolean {
    return record.modifiedBy === this.writerTo(run, side) && (record.modifiedAt as Date).getTime() >= run.attemptStartedAt.getTime();
  }

  /**
   * Written by an earlier attempt of a resumed run, and recorded: its coupling says it was synced as
   * it is now. One whose coupling never committed (its worker died in between) is decided again.
   */
  private recordedEarlier(run: RunContext, side: SystemName, link: IntegrationRecord | null, record: ObjectLiteral): boolean {
    if (run.attemptStartedAt.getTime() === run.startedAt.getTime() || record.modifiedBy !== this.writerTo(run, side)) return false;
    const synced = side === 'erp' ? link?.lastSyncedErpModifiedAt : link?.lastSyncedCrmModifiedAt;
    return Boolean(link && synced && synced.getTime() === (record.modifiedAt as Date).getTime());
  }

  /** Chosen records are taken as they are, changed or not. */
  private async processChunk(run: RunContext, side: SystemName, chunk: ObjectLiteral[]): Promise<void> {
    await this.processPairs(run, await this.pairsOf(run, side, chunk, null), null);
  }

  /** Decides, writes and records a batch of pairs; the watermark, when given, moves in the same transaction. */
  private async processPairs(run: RunContext, pairs: PairState[], watermark: { side: SystemName; last: Date } | null): Promise<void> {
    await this.commitLinks(run, this.outcomes.prepareLinks(await this.writePairs(run, pairs)), watermark);
  }

  /** Decides a batch of pairs and writes each side's changes; returns the integration records that say what happened. */
  private async writePairs(run: RunContext, pairs: PairState[]): Promise<IntegrationRecord[]> {
    return this.applyPlan(run, await this.planPairs(run, pairs));
  }

  /**
   * Decides a batch of pairs and builds the records to write, touching neither system nor the
   * run's counters, so that a pass plans its next chunk while the current one is written.
   */
  private async planPairs(run: RunContext, pairs: PairState[]): Promise<ChunkPlan> {
    const toWrite: Record<SystemName, Array<{ pair: PairState; create: boolean }>> = { erp: [], crm: [] };
    const conflicts: PairState[] = [];
    let unchanged = 0;
    for (const pair of pairs) {
      const decision = run.forced && pair.erp && pair.crm && pair.link?.erpId && pair.link.crmId ? ({ kind: 'WRITE', to: run.forced, create: false } as const) : decide(run.rules, pair);
      if (decision.kind === 'WRITE') toWrite[decision.to].push({ pair, create: decision.create });
      else if (decision.kind === 'CONFLICT') conflicts.push(pair);
      else if (decision.kind === 'UNCHANGED') unchanged += 1;
    }
    const writes: PlannedWrite[] = [];
    for (const to of ['crm', 'erp'] as const) {
      if (toWrite[to].length === 0) continue;
      const from: SystemName = to === 'crm' ? 'erp' : 'crm';
      const outcomes = await this.transformer.transform(
        run.mapping,
        run.fields,
        to,
        toWrite[to].map(({ pair }) => ({ source: pair[from]!, target: pair[to] })),
        run.references,
      );
      outcomes.forEach((outcome, index) => writes.push({ pair: toWrite[to][index]!.pair, create: toWrite[to][index]!.create, to, outcome }));
    }
    return { writes, conflicts, unchanged };
  }

  /** Writes a plan's records, each side in one batch; returns the integration records that say what happened, counting them. */
  private async applyPlan(run: RunContext, plan: ChunkPlan): Promise<IntegrationRecord[]> {
    run.counters.unchanged += plan.unchanged;
    const written = new Map<ObjectLiteral, Date | Error>();
    for (const to of ['crm', 'erp'] as const) {
      const records = plan.writes.flatMap((write) => (write.to === to && write.outcome.kind === 'WRITE' ? [write.outcome.record] : []));
      if (records.length > 0) for (const [record, result] of await this.write(run, to, records)) written.set(record, result);
    }
    const now = new Date();
    return [
      ...plan.writes.map(({ pair, to, create, outcome }) => this.outcomes.outcomeRow(run, pair, to, create ? 'create' : 'update', outcome, written, now)),
      ...plan.conflicts.map((pair) => this.outcomes.conflictRow(run, pair, now)),
    ];
  }

  /**
   * A batch's integration records, the watermark when given, and `inTransaction`, in one
   * transaction. A coupling whose key a one-sided row holds (see SyncOutcomes.writeLinks) fails
   * the transaction, which is then run again making way first; `inTransaction` must be safe to
   * run twice, as its first run is rolled back. A savepoint would spare the retry, at the price of
   * two more round trips in every chunk's transaction. With `previous`, the links are written at
   * once and the rest waits for it (see runChunkPipeline); when it fails, nothing commits.
   */
  private async commitLinks(
    run: RunContext,
    links: PreparedLinks,
    watermark: { side: SystemName; last: Date } | null,
    inTransaction?: ChunkHook,
    previous: Promise<void> = Promise.resolve(),
  ): Promise<void> {
    const attempt = (makeWay: boolean) =>
      this.integration.transaction(async (manager) => {
        await lockMappingRecords(manager, run.mapping.name, 'coupling');
        await this.outcomes.writePreparedLinks(manager, run, links, { makeWay });
        // The previous chunk's transaction updates the same watermark and job rows, and must commit first: a
        // resume position is only ever durable after every chunk before it. The links above went in meanwhile.
        await previous;
        if (watermark) {
          const column = watermark.side === 'erp' ? 'erp_synced_until' : 'crm_synced_until';
          await manager.query(
            `UPDATE integration.table_mapping SET ${column} = GREATEST(COALESCE(${column}, $2), $2) WHERE name = $1`,
            [run.mapping.name, watermark.last],
          );
        }
        await inTransaction?.(manager);
      });
    try {
      await attempt(false);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await attempt(true);
    }
  }

  /**
   * Writes a chunk's records to one side as the integration user, with the records they need
   * beside them, in one statement. When the system refuses the batch, each record is written on
   * its own so that one bad record fails alone, with the system's reason.
   */
  private async write(run: RunContext, to: SystemName, records: ObjectLiteral[]): Promise<Map<ObjectLiteral, Date | Error>> {
    const writer = this.writerTo(run, to);
    const results = new Map<ObjectLiteral, Date | Error>();
    const attempt = async (batch: ObjectLiteral[]) => {
      await this.companions.prepare(run.mapping.name, to, batch, writer);
      const stamp = await this.connectors[to].bulkUpsert(run.tables[to], batch, writer);
      await this.companions.afterWrite(run.mapping.name, to, batch, writer);
      for (const record of batch) results.set(record, stamp);
    };
    try {
      await attempt(records);
    } catch {
      for (const record of records) await attempt([record]).catch((error: unknown) => results.set(record, error instanceof Error ? error : new Error(String(error))));
    }
    return results;
  }

  /** Who the engine writes to a system as. */
  private writerTo(run: RunContext, to: SystemName): string {
    return to === 'crm' ? (run.rules.integrationUserId ?? ERP_INTEGRATION_USER) : ERP_INTEGRATION_USER;
  }

  /** Records whose last write failed are tried again by the next incremental run (skipped ones wait for a change). */
  private async retryFailed(run: RunContext): Promise<void> {
    const failed = await this.integration.getRepository(IntegrationRecord).find({
      where: { mappingName: run.mapping.name, lastResult: SyncResult.FAILED },
      order: { id: 'ASC' },
      take: this.options.chunkSize,
    });
    if (failed.length === 0) return;
    const pairs = (await this.pairsOfLinks(run, failed)).filter((pair) => !(pair.link.erpId && pair.link.crmId && (!pair.erp || !pair.crm)));
    if (pairs.length > 0) await this.processPairs(run, pairs, null);
  }

  /**
   * Couplings whose record is gone on one side, handled by the mapping's deletion policy. A
   * coupling this run has written had both its records a moment ago (a pair missing a side is never
   * written by the passes), so only the others are checked; a deletion made while the run goes on
   * is found by the next full run. The scan walks the mapping's ERP-key index: every mapping shares
   * the table, and walking it in id order would visit all their rows.
   */
  private async handleDeletions(run: RunContext): Promise<void> {
    let afterKey: string | null = null;
    for (;;) {
      const query = this.integration
        .getRepository(IntegrationRecord)
        .createQueryBuilder('r')
        .where('r.mapping_name = :mapping AND r.erp_id IS NOT NULL AND r.crm_id IS NOT NULL', { mapping: run.mapping.name })
        .andWhere(`NOT (r.modified_by = 'sync' AND r.modified_at >= :startedAt)`, { startedAt: run.startedAt });
      if (afterKey) query.andWhere('r.erp_id > :afterKey', { afterKey });
      const links = await query.orderBy('r.erp_id').limit(this.options.chunkSize).getMany();
      if (links.length === 0) return;
      afterKey = links[links.length - 1]!.erpId;
      const [erpKeys, crmKeys] = await Promise.all([
        this.connectors.erp.existingKeys(run.tables.erp, links.map((l) => l.erpId!)),
        this.connectors.crm.existingKeys(run.tables.crm, links.map((l) => l.crmId!)),
      ]);
      const broken = links.filter((l) => !erpKeys.has(l.erpId!) || !crmKeys.has(l.crmId!));
      if (broken.length > 0) {
        // Only the broken pairs need their surviving record, to restore the other side from it.
        await this.applyDeletionPolicy(run, await this.pairsOfLinks(run, broken));
      }
      if (links.length < this.options.chunkSize) return;
    }
  }

  /**
   * Seed-plus rule for a coupled record deleted on one side: RESTORE recreates it from the other
   * side under its old key, REMOVE_COUPLING leaves the surviving record uncoupled, NONE reports it.
   */
  private async applyDeletionPolicy(run: RunContext, pairs: PairState[], policy = run.mapping.deletionConflictResolution): Promise<void> {
    if (policy === DeletionConflictResolution.RESTORE) {
      const outcomes: Array<{ pair: PairState; to: SystemName; outcome: WriteOutcome }> = [];
      const written = new Map<ObjectLiteral, Date | Error>();
      for (const to of ['crm', 'erp'] as const) {
        const from: SystemName = to === 'crm' ? 'erp' : 'crm';
        const missing = pairs.filter((pair) => !pair[to] && pair[from]);
        if (missing.length === 0) continue;
        const results = await this.transformer.transform(
          run.mapping,
          run.fields,
          to,
          missing.map((pair) => ({ source: pair[from]!, target: null, key: (to === 'crm' ? pair.link!.crmId : pair.link!.erpId)! })),
          run.references,
        );
        results.forEach((outcome, index) => outcomes.push({ pair: missing[index]!, to, outcome }));
        const records = results.flatMap((outcome) => (outcome.kind === 'WRITE' ? [outcome.record] : []));
        if (records.length > 0) for (const [record, result] of await this.write(run, to, records)) written.set(record, result);
      }
      const now = new Date();
      await this.integration.transaction(async (manager) => {
        await lockMappingRecords(manager, run.mapping.name, 'coupling');
        await this.outcomes.writeLinks(manager, run, outcomes.map(({ pair, to, outcome }) => this.outcomes.outcomeRow(run, pair, to, 'restore', outcome, written, now)));
      });
      return;
    }
    await this.integration.transaction(async (manager) => {
      await lockMappingRecords(manager, run.mapping.name, 'coupling');
      if (policy !== DeletionConflictResolution.REMOVE_COUPLING) {
        run.counters.failed += pairs.length;
        const now = new Date();
        const reported = pairs.map((pair) =>
          this.outcomes.linkRow(run, pair, {
            lastResult: SyncResult.FAILED,
            lastError: `The ${pair.erp ? 'CRM' : 'ERP'} record was deleted; with deletion policy NONE the coupling waits for you to restore it or remove the coupling`,
          }, now),
        );
        await this.outcomes.writeLinks(manager, run, reported);
        return;
      }
      run.counters.uncoupled += pairs.length;
      const bothGone = pairs.filter((pair) => !pair.erp && !pair.crm).map((pair) => pair.link!.id);
      if (bothGone.length > 0) await manager.delete(IntegrationRecord, { id: In(bothGone) });
      const survivors = pairs
        .filter((pair) => pair.erp || pair.crm)
        .map((pair): IntegrationRecord => ({
          ...pair.link!,
          ...(pair.erp ? { crmId: null, crmModifiedAt: null, crmSearchText: null } : { erpId: null, erpModifiedAt: null, erpSearchText: null, erpCode: null }),
          ...NEVER_SYNCED,
          modifiedAt: new Date(),
          modifiedBy: 'sync',
        }));
      await this.outcomes.writeLinks(manager, run, survivors);
    });
  }

  /**
   * The ERP pass decides every pair whose ERP record changed, so the CRM pass takes only pairs
   * whose CRM record changed and that this run has not written yet. Nothing per record needs to be
   * remembered between the passes, so memory stays flat however large the run.
   */
  private needsCrmPass(run: RunContext, link: IntegrationRecord | null, crm: ObjectLiteral): boolean {
    if (!link?.erpId || !link.crmId) return true;
    if (link.modifiedAt.getTime() >= run.startedAt.getTime() && link.modifiedBy === 'sync') return false;
    const byIntegration = run.rules.integrationUserId !== null && crm.modifiedBy === run.rules.integrationUserId;
    return !byIntegration && (link.lastSyncedCrmModifiedAt === null || (crm.modifiedAt as Date).getTime() > link.lastSyncedCrmModifiedAt.getTime());
  }

  /** Integration records with whichever of their sides still exist, loaded in one batch per table. */
  private async pairsOfLinks(run: RunContext, links: readonly IntegrationRecord[]): Promise<Array<PairState & { link: IntegrationRecord }>> {
    const [erps, crms] = await Promise.all([
      this.connectors.erp.getByKeys(run.tables.erp, links.flatMap((l) => (l.erpId ? [l.erpId] : []))),
      this.connectors.crm.getByKeys(run.tables.crm, links.flatMap((l) => (l.crmId ? [l.crmId] : []))),
    ]);
    const erpOf = new Map(erps.map((r) => [this.connectors.erp.keyOf(run.tables.erp, r), r]));
    const crmOf = new Map(crms.map((r) => [this.connectors.crm.keyOf(run.tables.crm, r), r]));
    return links.map((link) => ({ link, erp: (link.erpId && erpOf.get(link.erpId)) || null, crm: (link.crmId && crmOf.get(link.crmId)) || null }));
  }

  /**
   * Each changed record with its coupling and its counterpart, loaded in one batch per table.
   * Records that `wanted` turns down on their coupling alone are left out before any counterpart is loaded.
   */
  private async pairsOf(
    run: RunContext,
    side: SystemName,
    chunk: ObjectLiteral[],
    wanted: ((link: IntegrationRecord | null, record: ObjectLiteral) => boolean) | null,
  ): Promise<PairState[]> {
    const other: SystemName = side === 'erp' ? 'crm' : 'erp';
    const keys = chunk.map((record) => this.connectors[side].keyOf(run.tables[side], record));
    const links = await linksByKey(this.integration, run.mapping.name, side === 'erp' ? 'erpId' : 'crmId', keys);
    const linkOf = new Map(links.map((link) => [side === 'erp' ? link.erpId : link.crmId, link]));
    const kept = wanted ? chunk.filter((record, index) => wanted(linkOf.get(keys[index]!) ?? null, record)) : chunk;
    const keptKeys = kept === chunk ? keys : kept.map((record) => this.connectors[side].keyOf(run.tables[side], record));
    const counterpartKeys = keptKeys.flatMap((key) => {
      const link = linkOf.get(key);
      const counterpartKey = link ? (side === 'erp' ? link.crmId : link.erpId) : null;
      return counterpartKey ? [counterpartKey] : [];
    });
    const counterparts = await this.connectors[other].getByKeys(run.tables[other], counterpartKeys);
    const counterpartOf = new Map(counterparts.map((record) => [this.connectors[other].keyOf(run.tables[other], record), record]));
    return kept.map((record, index) => {
      const link = linkOf.get(keptKeys[index]!) ?? null;
      const counterpartKey = link ? (side === 'erp' ? link.crmId : link.erpId) : null;
      const counterpart = counterpartKey ? (counterpartOf.get(counterpartKey) ?? null) : null;
      return {
        link,
        erp: side === 'erp' ? record : counterpart,
        crm: side === 'crm' ? record : counterpart,
      };
    });
  }
}

function summarise(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([note, count]) => (count > 1 ? `${note} (${count} records)` : note)).join('; ');
}

