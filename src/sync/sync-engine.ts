import type { DataSource, EntityManager } from 'typeorm';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJobType, type SyncJob } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { FilterOperator } from '../../entities/integration/record-filter';
import type { ChangeCursor, SystemConnector, SystemName } from '../connectors/system-connector';
import { refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { countedSince, type JobCounters } from '../jobs/job-counters';
import { Queue, type JobQueue } from '../jobs/job-queue';
import type { SyncJobStates } from '../jobs/sync-job-states';
import { isFinished } from '../progress/finished-status';
import type { ProgressPublisher } from '../progress/progress-publisher';
import { ChunkWriter } from './chunk-writer';
import { MappingStatistics } from './mapping-statistics';
import type { CompanionRecords } from './companion-records';
import { DryRun, type DryRunReport, type PlannedCouplings } from './dry-run';
import { DeletionPolicy } from './deletion-policy';
import { DuplicateQueue } from '../duplicates/duplicate-queue';
import { DuplicateReview } from './duplicate-review';
import type { FieldTransformer } from './field-transformer';
import { withMappingLock } from './mapping-lock';
import { PairLoader } from './pair-loader';
import { RunContextFactory } from './run-context.factory';
import type { FieldChoice, FieldChoices } from './field-merge';
import { SyncMode, type SyncResolution } from './sync-mode';
import { notByIntegrationUser, SyncPass, type CommittedChunk } from './sync-pass';
import type { SyncRequest } from './sync-request';
import { forcedBy, SyncResolutions } from './sync-resolution';
import { SyncOutcomes } from './sync-outcomes';
import type { RunContext } from './sync-run';

export interface SyncOptions {
  /** Incremental runs re-read this much before the watermark, so a late commit is never missed. */
  readonly overlapMs: number;
  readonly chunkSize: number;
  /** Whether every value written is recorded as field lineage; off only to measure what recording costs (bench:sync). */
  readonly fieldLineage: boolean;
}

/** What the engine does when the mapping is being synchronised by another run. */
export type WhenBusy =
  /** An operator's request: it waits in the queue as a WAITING job, which is returned. */
  | 'queue'
  /** A background request: SYNC_ALREADY_RUNNING, and the job engine tries again shortly. */
  | 'retry';

/** One side of a full synchronisation of one mapping, as a background job runs it (see runResumable). */
export interface ResumableRun {
  /** The job this side of the run is. */
  readonly jobId: string;
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
   * as started and the number of records the pass is about to read; false when the job may not
   * start (it was paused or cancelled meanwhile).
   */
  begin(startedAt: Date, toRead: number): Promise<boolean>;
  /** Asked before each chunk; false stops the run between chunks. */
  shouldContinue(): Promise<boolean>;
  onChunk(manager: EntityManager, chunk: CommittedChunk): Promise<void>;
  /** Called after each chunk's transaction has committed. */
  afterChunk(): Promise<void>;
  /**
   * Called once every record was read, with the run's counters, still holding the mapping's lock:
   * a running job whose lock is free counts as abandoned (see AbandonedJobs), so its end is
   * recorded before the lock goes.
   */
  complete(counters: JobCounters): Promise<void>;
}

const DEFAULTS: SyncOptions = { overlapMs: 5_000, chunkSize: 2_000, fieldLineage: true };

/**
 * Synchronises table mappings: a run of one mapping (changes since its watermarks, or everything),
 * chosen records, one side of a full synchronisation (resumable), or an operator's resolution of
 * reported records. Each run holds its mapping's lock, has a job row whose state SyncJobStates
 * moves, and leaves the pass, chunk, deletion and resolution work to the parts it is built from.
 */
export class SyncEngine {
  private readonly options: SyncOptions;
  private readonly contexts: RunContextFactory;
  private readonly pairs: PairLoader;
  private readonly writer: ChunkWriter;
  private readonly pass: SyncPass;
  private readonly deletions: DeletionPolicy;
  private readonly resolutions: SyncResolutions;

  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    transformer: FieldTransformer,
    companions: CompanionRecords,
    private readonly states: SyncJobStates,
    private readonly queue: JobQueue,
    private readonly progress: Pick<ProgressPublisher, 'jobState'>,
    options: Partial<SyncOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const duplicates = new DuplicateQueue(integration);
    const outcomes = new SyncOutcomes(connectors, integration, duplicates, this.options.fieldLineage);
    this.contexts = new RunContextFactory(connectors, integration, transformer);
    this.pairs = new PairLoader(connectors, integration);
    this.writer = new ChunkWriter(connectors, integration, transformer, companions, outcomes, new DuplicateReview(connectors, integration, duplicates, outcomes));
    this.pass = new SyncPass(connectors, this.pairs, this.writer, outcomes, this.options.chunkSize, new MappingStatistics(integration));
    this.deletions = new DeletionPolicy(connectors, integration, transformer, this.pairs, this.writer, outcomes, this.options.chunkSize);
    this.resolutions = new SyncResolutions(integration, this.pairs, this.writer, this.deletions);
  }

  /** Synchronises a whole mapping: changes since its watermarks, or every record. */
  runMapping(mappingName: string, mode: SyncMode, requestedBy: string, whenBusy: WhenBusy = 'queue'): Promise<SyncJob> {
    return this.execute({ kind: 'mapping', mappingName, mode }, requestedBy, whenBusy);
  }

  /**
   * A dry run of a whole mapping: every record decided and counted by the same passes, rules and
   * transformations as runMapping's, and nothing written anywhere (no job either). With `planned`,
   * references are also translated through the couplings earlier mappings of the same dry run
   * would make; `sides` are the sides read (a full synchronisation's jobs read the sides the
   * mapping's direction writes from).
   */
  async dryRun(mappingName: string, mode: SyncMode, options: { planned?: PlannedCouplings; sides?: readonly SystemName[] } = {}): Promise<DryRunReport> {
    const dryRun = new DryRun(mappingName, options.planned);
    const run = await this.contexts.create({ mappingName, forced: null, createUncoupled: mode === SyncMode.FULL, dryRun });
    await this.passes(run, mode, options.sides);
    return dryRun.report(run.mapping.direction, run.counters, run.processed, run.notes);
  }

  /**
   * Synchronises the given records of one mapping now; with a direction, a coupled pair is copied
   * that way whether or not it changed.
   */
  async syncRecords(
    mappingName: string,
    keys: Readonly<Record<SystemName, readonly string[]>>,
    forced: SystemName | null,
    requestedBy: string,
    createUncoupled = false,
  ): Promise<SyncJob> {
    if (forced) {
      const mapping = await this.integration.getRepository(TableMapping).findOneBy({ name: mappingName });
      const wanted = forced === 'crm' ? SyncDirection.TO_CRM : SyncDirection.FROM_CRM;
      if (mapping && mapping.direction !== SyncDirection.BIDIRECTIONAL && mapping.direction !== wanted) {
        throw refused(ErrorCode.DIRECTION_NOT_ALLOWED, `${mappingName} runs ${mapping.direction}; its records cannot be synchronised ${wanted}`);
      }
    }
    return this.execute({ kind: 'records', mappingName, keys, forced, createUncoupled }, requestedBy, 'queue');
  }

  /**
   * Resolves reported records (integration records) of one mapping; with field choices, fields in
   * conflict take the side chosen for them (the others `resolution`'s side) and nothing else is copied.
   */
  resolve(
    mappingName: string,
    linkIds: readonly string[],
    resolution: SyncResolution,
    requestedBy: string,
    fieldChoices?: Readonly<Record<string, FieldChoice>>,
  ): Promise<SyncJob> {
    return this.execute({ kind: 'resolve', mappingName, linkIds, resolution, fieldChoices }, requestedBy, 'queue');
  }

  /**
   * Runs a request that waited in the queue (see WhenBusy): SYNC_ALREADY_RUNNING while its mapping
   * is still busy, so the job engine tries again; nothing when it was cancelled meanwhile.
   */
  runQueued(jobId: string, request: SyncRequest): Promise<SyncJob> {
    return this.execute(request, '', 'retry', jobId);
  }

  /**
   * One side of a full synchronisation of a mapping, resumable: every record of `side` from the
   * position after `after`, chunk by chunk, creating counterparts of uncoupled records. Each
   * chunk's `onChunk` runs inside the transaction that records its couplings and watermark, so the
   * caller's resume position and counters move with them. Returns whether it read everything, and
   * the counters not yet handed to `onChunk` (the deletion policy's).
   */
  async runResumable(spec: ResumableRun): Promise<{ completed: boolean; counters: JobCounters }> {
    const run = await this.contexts.create({ mappingName: spec.mappingName, forced: null, createUncoupled: true, startedAt: spec.startedAt ?? undefined, jobId: spec.jobId });
    let completed = false;
    let handedOver: JobCounters = {};
    const held = await withMappingLock(this.integration, run.mapping.name, async () => {
      if (!(await spec.begin(run.startedAt, await this.countSide(run, spec.side)))) return;
      const finished = await this.pass.run(run, spec.side, null, {
        after: spec.after,
        shouldContinue: spec.shouldContinue,
        inTransaction: (manager, chunk) => spec.onChunk(manager, chunk),
        committed: async (counters) => {
          handedOver = counters;
          await spec.afterChunk();
        },
      });
      if (!finished || !(await spec.shouldContinue())) return;
      if (spec.handleDeletions) await this.deletions.handleDeletions(run);
      await spec.complete(countedSince(run.counters, handedOver));
      completed = true;
    });
    if (!held.locked) throw this.busy(run);
    return { completed, counters: countedSince(run.counters, handedOver) };
  }

  /** How many records one side of a full synchronisation of the mapping would read now (see runResumable). */
  async toRead(mappingName: string, side: SystemName): Promise<number> {
    return this.countSide(await this.contexts.create({ mappingName, forced: null, createUncoupled: true }), side);
  }

  /** Every record of the side, but the integration user's CRM changes, which a pass does not read. */
  private countSide(run: RunContext, side: SystemName): Promise<number> {
    return this.connectors[side].count(run.tables[side], side === 'crm' ? notByIntegrationUser(run) : undefined);
  }

  /**
   * Runs a request under its mapping's lock, its job moving from running to succeeded or failed
   * (chunks already committed stay committed; the job says where the run stopped). When the
   * mapping is busy, `whenBusy` decides.
   */
  private async execute(request: SyncRequest, requestedBy: string, whenBusy: WhenBusy, queuedJobId?: string): Promise<SyncJob> {
    const byField = request.kind === 'resolve' && request.fieldChoices !== undefined;
    const forced = request.kind === 'records' ? request.forced : request.kind === 'resolve' && !byField ? forcedBy(request.resolution) : null;
    const createUncoupled = request.kind === 'mapping' ? request.mode === SyncMode.FULL : request.kind === 'records' && request.createUncoupled;
    const fieldChoices = byField ? choicesWithDefault(request.fieldChoices!, request.resolution) : undefined;
    const run = await this.contexts.create({ mappingName: request.mappingName, forced, createUncoupled, fieldChoices });
    const held = await withMappingLock(this.integration, run.mapping.name, async () => {
      const total = await this.estimate(run, request);
      const job = queuedJobId
        ? await this.states.start(queuedJobId, { estimatedTotal: total, startedAt: run.startedAt })
        : await this.states.startNew({ type: SyncJobType.SYNC, mappingName: run.mapping.name, direction: run.mapping.direction, requestedBy }, total);
      // A queued job's id was handed out before it ran, and its followers wait for its events; a job run at once is answered finished.
      const announce = (changed: SyncJob) => (queuedJobId ? this.announce(changed) : Promise.resolve(changed));
      if (!job) return announce(await this.states.stopped(queuedJobId!, {}));
      run.jobId = job.id;
      await announce(job);
      try {
        await this.work(run, request);
      } catch (error) {
        await announce(await this.states.fail(job.id, error instanceof Error ? error.message : String(error), run.counters, run.processed));
        throw error;
      }
      return announce(
        await this.states.succeed(job.id, run.counters, {
          message: run.notes.size > 0 ? summarise(run.notes) : null,
          read: run.processed,
          estimatedTotal: Math.max(total, run.processed),
        }),
      );
    });
    if (held.locked) return held.value;
    if (whenBusy === 'retry') throw this.busy(run);
    return this.waitBehind(run, request, requestedBy);
  }

  /**
   * Tells syncJobProgress's subscribers of a job's state once it is committed. The row stays the
   * truth; an event lost with the connection does not undo the job.
   */
  private async announce(job: SyncJob): Promise<SyncJob> {
    await this.progress.jobState(job, isFinished(job.status)).catch(() => undefined);
    return job;
  }

  /** A request for a busy mapping: a WAITING job, carried by the job engine until the mapping is free. */
  private async waitBehind(run: RunContext, request: SyncRequest, requestedBy: string): Promise<SyncJob> {
    const job = await this.integration.transaction(async (manager) => {
      const [waiting] = await this.states.createWaiting(manager, [
        { type: SyncJobType.SYNC, mappingName: run.mapping.name, direction: run.mapping.direction, requestedBy, message: `Waiting for the run of ${run.mapping.name} under way` },
      ]);
      const queueJobId = await this.queue.sendSyncRequest(manager, { jobId: waiting!.id, request });
      await this.states.carriedBy(manager, waiting!.id, queueJobId);
      return { ...waiting!, queueJobId };
    });
    await this.queue.wake(Queue.SYNC_REQUEST);
    return job;
  }

  private busy(run: RunContext) {
    return refused(ErrorCode.SYNC_ALREADY_RUNNING, `${run.mapping.name} is being synchronised by another run; this one waits for it`);
  }

  private async work(run: RunContext, request: SyncRequest): Promise<void> {
    if (request.kind === 'resolve') return this.resolutions.resolve(run, request.linkIds, request.fieldChoices ? null : request.resolution);
    if (request.kind === 'records') {
      for (const side of ['erp', 'crm'] as const) {
        for (let start = 0; start < request.keys[side].length; start += this.options.chunkSize) {
          const records = await this.connectors[side].getByKeys(run.tables[side], request.keys[side].slice(start, start + this.options.chunkSize));
          run.processed += records.length;
          if (records.length > 0) await this.writer.processPairs(run, await this.pairs.pairsOf(run, side, records, null), null);
        }
      }
      return;
    }
    await this.passes(run, request.mode);
  }

  /** A mapping's run: each side's changes (everything in a full run), then what a run does after them. */
  private async passes(run: RunContext, mode: SyncMode, sides: readonly SystemName[] = ['erp', 'crm']): Promise<void> {
    for (const side of sides) await this.pass.run(run, side, this.since(run, side, mode));
    // A deletion leaves no change behind, so only a full run looks for couplings that lost a side.
    if (mode === SyncMode.FULL) await this.deletions.handleDeletions(run);
    else await this.retryFailed(run);
  }

  /** Where a side's pass starts reading: nowhere before (everything) in a full run or before the first. */
  private since(run: RunContext, side: SystemName, mode: SyncMode): Date | null {
    const watermark = side === 'erp' ? run.mapping.erpSyncedUntil : run.mapping.crmSyncedUntil;
    return mode === SyncMode.FULL || !watermark ? null : new Date(watermark.getTime() - this.options.overlapMs);
  }

  /** How many source records the run expects to read, counted as it starts. */
  private async estimate(run: RunContext, request: SyncRequest): Promise<number> {
    if (request.kind === 'resolve') return request.linkIds.length;
    if (request.kind === 'records') return request.keys.erp.length + request.keys.crm.length;
    const counts = await Promise.all(
      (['erp', 'crm'] as const).map((side) => {
        const since = this.since(run, side, request.mode);
        const filter = [
          ...(side === 'crm' ? (notByIntegrationUser(run) ?? []) : []),
          ...(since ? [{ field: 'modifiedAt', op: FilterOperator.GTE, value: since.toISOString() }] : []),
        ];
        return this.connectors[side].count(run.tables[side], filter);
      }),
    );
    return counts[0]! + counts[1]!;
  }

  /** Records whose last write failed are tried again by the next incremental run (skipped ones wait for a change). */
  private async retryFailed(run: RunContext): Promise<void> {
    const failed = await this.integration.getRepository(IntegrationRecord).find({
      where: { mappingName: run.mapping.name, lastResult: SyncResult.FAILED },
      order: { id: 'ASC' },
      take: this.options.chunkSize,
    });
    if (failed.length === 0) return;
    const pairs = (await this.pairs.pairsOfLinks(run, failed)).filter((pair) => !(pair.link.erpId && pair.link.crmId && (!pair.erp || !pair.crm)));
    if (pairs.length > 0) await this.writer.processPairs(run, pairs, null);
  }
}

/** The operator's choices, and for every other field `resolution`'s side (when it names one). */
function choicesWithDefault(choices: Readonly<Record<string, FieldChoice>>, resolution: SyncResolution): FieldChoices {
  const copiedTo = forcedBy(resolution);
  return { of: new Map(Object.entries(choices)), otherwise: copiedTo === 'crm' ? 'erp' : copiedTo === 'erp' ? 'crm' : null };
}

function summarise(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([note, count]) => (count > 1 ? `${note} (${count} records)` : note)).join('; ');
}
