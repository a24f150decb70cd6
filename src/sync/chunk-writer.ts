import type { DataSource, EntityManager } from 'typeorm';
import type { DomainRecord, SystemConnector, SystemName } from '../connectors/system-connector';
import type { CompanionRecords } from './companion-records';
import type { FieldTransformer } from './field-transformer';
import type { PlannedMerge, PlannedWrite } from './chunk-plan';
import { writerTo } from './run-writers';
import type { DuplicateReview, HeldPair } from './duplicate-review';
import { decide, type PairState } from './sync-decision';
import { isUniqueViolation, type BatchOutcome, type PreparedLinks, type SyncOutcomes, type WriteBatch } from './sync-outcomes';
import type { RunContext } from './sync-run';
import { lockMappingRecords } from '../unify/mapping-records-lock';
import { retryTransient } from '../db/retry-transient';

/** What a chunk's pairs need: the records to write to each side, the pairs merged field by field, and how many were unchanged. */
export interface ChunkPlan {
  readonly writes: PlannedWrite[];
  readonly merges: PlannedMerge[];
  readonly unchanged: number;
  /** Pairs whose fields in conflict still wait for an operator, counted again as conflicts. */
  readonly held: PairState[];
  /** Records whose counterpart is not created: the other system may hold it already (see DuplicateReview). */
  readonly duplicates: HeldPair[];
}

/** Runs inside a chunk's transaction, after its couplings and watermark. */
export type ChunkHook = (manager: EntityManager) => Promise<void>;

/** Where a side's change feed has been read up to, moved with the couplings it covers. */
export interface Watermark {
  readonly side: SystemName;
  readonly last: Date;
}

/**
 * A chunk's way through the engine: decide each pair by the rules, build the records to write,
 * write each side in one bulk statement, and commit the integration records that say what
 * happened together with the watermark.
 */
export class ChunkWriter {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly transformer: FieldTransformer,
    private readonly companions: CompanionRecords,
    private readonly outcomes: SyncOutcomes,
    private readonly review: DuplicateReview,
  ) {}

  /** Decides, writes and records a batch of pairs; the watermark, when given, moves in the same transaction. */
  async processPairs(run: RunContext, pairs: PairState[], watermark: Watermark | null): Promise<void> {
    await this.commitLinks(run, this.outcomes.prepareLinks(run, await this.applyPlan(run, await this.planPairs(run, pairs))), watermark);
  }

  /**
   * Decides a batch of pairs and builds the records to write, touching neither system nor the
   * run's counters, so that a pass plans its next chunk while the current one is written.
   */
  async planPairs(run: RunContext, pairs: PairState[]): Promise<ChunkPlan> {
    const toWrite: Record<SystemName, Array<{ pair: PairState; create: boolean; merged?: PlannedMerge }>> = { erp: [], crm: [] };
    const merges: PlannedMerge[] = [];
    let unchanged = 0;
    const held: PairState[] = [];
    for (const pair of pairs) {
      const decision =
        run.forced && pair.erp && pair.crm && pair.link?.erpId && pair.link.crmId ? ({ kind: 'WRITE', to: run.forced, create: false } as const) : decide(run.rules, pair);
      if (decision.kind === 'WRITE') toWrite[decision.to].push({ pair, create: decision.create });
      else if (decision.kind === 'MERGE') {
        const merged: PlannedMerge = { pair, merge: decision.merge, changed: decision.changed, outcomes: {} };
        merges.push(merged);
        if (decision.merge.toCrm.length > 0) toWrite.crm.push({ pair, create: false, merged });
        if (decision.merge.toErp.length > 0) toWrite.erp.push({ pair, create: false, merged });
      } else if (decision.kind === 'UNCHANGED') unchanged += 1;
      else if (decision.kind === 'HELD') held.push(pair);
    }
    const writes: PlannedWrite[] = [];
    const duplicates: HeldPair[] = [];
    for (const to of ['crm', 'erp'] as const) {
      // Held before their counterparts are built, so that a record held takes no number from a series.
      const lookAlikes = await this.review.screen(
        run,
        to,
        toWrite[to].filter((write) => write.create).map((write) => write.pair),
      );
      if (lookAlikes.length > 0) {
        const heldPairs = new Set(lookAlikes.map((duplicate) => duplicate.pair));
        toWrite[to] = toWrite[to].filter((write) => !heldPairs.has(write.pair));
        duplicates.push(...lookAlikes);
      }
      if (toWrite[to].length === 0) continue;
      const from: SystemName = to === 'crm' ? 'erp' : 'crm';
      const outcomes = await this.transformer.transform(
        run.mapping,
        run.fields,
        to,
        toWrite[to].map(({ pair, merged }) => ({
          source: pair[from]!,
          target: pair[to],
          fields: merged ? new Set(to === 'crm' ? merged.merge.toCrm : merged.merge.toErp) : undefined,
        })),
        run.references,
        run.dryRun,
      );
      outcomes.forEach((outcome, index) => {
        const { pair, create, merged } = toWrite[to][index]!;
        if (merged) merged.outcomes[to] = outcome;
        else writes.push({ pair, create, to, outcome });
      });
    }
    return { writes, merges, unchanged, held, duplicates };
  }

  /**
   * Writes a plan's records, each side in one batch; returns the integration records that say what
   * happened and the field values written, counting them. A dry run writes nothing and takes every
   * write as done.
   */
  async applyPlan(run: RunContext, plan: ChunkPlan): Promise<BatchOutcome> {
    run.counters.unchanged += plan.unchanged;
    for (const pair of plan.held) this.outcomes.held(run, pair);
    await retryTransient('couplings before writes', () => this.outcomes.recordBeforeWrites(run, plan.merges));
    const written = new Map<DomainRecord, Date | Error>();
    for (const to of ['crm', 'erp'] as const) {
      const records = [
        ...plan.writes.flatMap((write) => (write.to === to && write.outcome.kind === 'WRITE' ? [write.outcome.record] : [])),
        ...plan.merges.flatMap(({ outcomes }) => (outcomes[to]?.kind === 'WRITE' ? [outcomes[to].record] : [])),
      ];
      if (records.length > 0) for (const [record, result] of await this.write(run, to, records)) written.set(record, result);
    }
    const batch: WriteBatch = { written, now: new Date(), writes: [] };
    const rows = [
      ...plan.writes.map(({ pair, to, create, outcome }) => this.outcomes.outcomeRow(run, pair, to, create ? 'create' : 'update', outcome, batch)),
      ...plan.merges.map((merged) => this.outcomes.mergedRow(run, merged, batch)),
      ...plan.duplicates.map((duplicate) => this.review.heldRow(run, duplicate, batch.now)),
    ];
    return { rows, writes: batch.writes, duplicates: plan.duplicates.map((duplicate) => duplicate.record) };
  }

  /**
   * A batch's integration records, the watermark when given, and `inTransaction`, in one
   * transaction. A coupling whose key a one-sided row holds (see SyncOutcomes.writeLinks) fails
   * the transaction, which is then run again making way first; `inTransaction` must be safe to
   * run twice, as its first run is rolled back. A savepoint would spare the retry, at the price of
   * two more round trips in every chunk's transaction. With `previous`, the links are written at
   * once and the rest waits for it (see runChunkPipeline); when it fails, nothing commits.
   */
  async commitLinks(run: RunContext, links: PreparedLinks, watermark: Watermark | null, inTransaction?: ChunkHook, previous: Promise<void> = Promise.resolve()): Promise<void> {
    if (run.dryRun) return run.dryRun.committed(links.rows);
    const attempt = (makeWay: boolean) =>
      this.integration.transaction(async (manager) => {
        await lockMappingRecords(manager, run.mapping.name, 'coupling');
        await this.outcomes.writePreparedLinks(manager, run, links, { makeWay });
        // The previous chunk's transaction updates the same watermark and job rows, and must commit first: a
        // resume position is only ever durable after every chunk before it. The links above went in meanwhile.
        await previous;
        if (watermark) {
          const column = watermark.side === 'erp' ? 'erp_synced_until' : 'crm_synced_until';
          await manager.query(`UPDATE integration.table_mapping SET ${column} = GREATEST(COALESCE(${column}, $2), $2) WHERE name = $1`, [run.mapping.name, watermark.last]);
        }
        await inTransaction?.(manager);
      });
    try {
      await retryTransient('chunk commit', () => attempt(false));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await retryTransient('chunk commit', () => attempt(true));
    }
  }

  /**
   * Writes a chunk's records to one side as the integration user, with the records they need
   * beside them, in one statement. When the system refuses the batch, each record is written on
   * its own so that one bad record fails alone, with the system's reason.
   */
  async write(run: RunContext, to: SystemName, records: DomainRecord[]): Promise<Map<DomainRecord, Date | Error>> {
    const results = new Map<DomainRecord, Date | Error>();
    if (run.dryRun) {
      const now = new Date();
      for (const record of records) results.set(record, now);
      return results;
    }
    const writer = writerTo(run, to);
    const attempt = async (batch: DomainRecord[]) => {
      await this.companions.prepare(run.mapping.name, to, batch, writer);
      const stamp = await this.connectors[to].bulkUpsert(run.tables[to], batch, writer);
      await this.companions.afterWrite(run.mapping.name, to, batch, writer);
      for (const record of batch) results.set(record, stamp);
    };
    try {
      await retryTransient('bulk write', () => attempt(records));
    } catch {
      for (const record of records) await attempt([record]).catch((error: unknown) => results.set(record, error instanceof Error ? error : new Error(String(error))));
    }
    return results;
  }
}
