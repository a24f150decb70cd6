import type { DataSource } from 'typeorm';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import type { DomainRecord, SystemConnector, SystemName } from '../connectors/system-connector';
import { CandidatePool, likelyMatches } from '../duplicates/duplicate-candidates';
import type { DuplicateQueue, HeldRecord } from '../duplicates/duplicate-queue';
import { FingerprintRecipe } from '../duplicates/record-fingerprint';
import { uncoupledRecords } from '../duplicates/uncoupled-records';
import { DiscoveryService } from '../unify/discovery.service';
import { writerTo } from './run-writers';
import { PlannedOutcome } from './dry-run';
import { createdRecordKey } from './field-transformer';
import type { PairState } from './sync-decision';
import type { SyncOutcomes } from './sync-outcomes';
import type { RunContext } from './sync-run';

/** A record whose counterpart a run would have created, held for review instead. */
export interface HeldPair {
  readonly pair: PairState;
  /** The system the counterpart would have been created in. */
  readonly to: SystemName;
  readonly record: HeldRecord;
}

/** At most this many of the other system's records are compared with a run's new records. */
const MAX_POOL = 100_000;

const otherThan = (side: SystemName): SystemName => (side === 'erp' ? 'crm' : 'erp');

/**
 * Duplicate review before create: before a run creates a record's counterpart in the other
 * system, it looks there, among the uncoupled records in the mapping's filter, for one that may be
 * the same (the mapping's match fields all equal, or a likely fuzzy match: see likelyMatches). A
 * record with a candidate scoring at least the mapping's threshold is held in the review queue
 * (possibleDuplicates) and counted as held, neither inserted nor failed; its one-sided
 * integration record says why. The other system's uncoupled records (see uncoupledRecords) are
 * read once per run, when a create first needs them.
 */
export class DuplicateReview {
  private readonly pools = new WeakMap<RunContext, Partial<Record<SystemName, Promise<CandidatePool | null>>>>();

  private readonly discovery: DiscoveryService;

  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly queue: DuplicateQueue,
    private readonly outcomes: SyncOutcomes,
  ) {
    this.discovery = new DiscoveryService(connectors, integration);
  }

  /** The pairs of `creating` (counterparts to create in `to`) that are held instead. */
  async screen(run: RunContext, to: SystemName, creating: readonly PairState[]): Promise<HeldPair[]> {
    const threshold = run.mapping.duplicateThreshold;
    if (!threshold || creating.length === 0) return [];
    const pool = await this.poolOf(run, to);
    if (!pool) return [];
    const from = otherThan(to);
    const recipe = FingerprintRecipe.of(run.fields)!;
    const keys = creating.map((pair) => this.connectors[from].keyOf(run.tables[from], pair[from]!));
    const dismissed = await this.queue.dismissed(run.mapping.name, from, keys);
    const found = await likelyMatches(
      this.integration,
      creating.map((pair) => recipe.fingerprint(from, pair[from]!)),
      pool,
      threshold,
      // The counterpart this run would create is no duplicate: a run cut off after writing it and before coupling it left it behind.
      (source, key) => key === createdRecordKey(run.mapping.name, from, keys[source]!) || (dismissed.get(keys[source]!)?.has(key) ?? false),
    );
    return creating.flatMap((pair, index) => (found[index]!.length > 0 ? [{ pair, to, record: { side: from, key: keys[index]!, candidates: found[index]! } }] : []));
  }

  /** A held record's integration record, counted as held (a dry run keeps it as an example). */
  heldRow(run: RunContext, held: HeldPair, now: Date): IntegrationRecord {
    const best = held.record.candidates[0]!;
    const reason = `Held for duplicate review: the ${held.to.toUpperCase()} may hold this record already (${held.record.candidates.length} candidate${held.record.candidates.length > 1 ? 's' : ''}, best score ${best.score})`;
    run.counters.heldAsDuplicate += 1;
    const keys = held.record.side === 'erp' ? { erp: held.record.key, crm: null } : { erp: null, crm: held.record.key };
    run.dryRun?.sample(PlannedOutcome.DUPLICATE, keys, { to: held.to, fields: [], reason });
    return this.outcomes.linkRow(run, held.pair, { lastResult: SyncResult.SKIPPED, lastError: reason }, now);
  }

  /** The records of `side` a new record may duplicate; null when there are none, or nothing to compare. */
  private poolOf(run: RunContext, side: SystemName): Promise<CandidatePool | null> {
    let pools = this.pools.get(run);
    if (!pools) this.pools.set(run, (pools = {}));
    return (pools[side] ??= this.loadPool(run, side));
  }

  private async loadPool(run: RunContext, side: SystemName): Promise<CandidatePool | null> {
    const recipe = FingerprintRecipe.of(run.fields);
    if (!recipe) return null;
    const table = run.tables[side];
    const records =
      (await uncoupledRecords(this.connectors[side], this.integration, this.discovery, run.mapping.name, side, table, MAX_POOL)) ?? (await this.listUncoupled(run, side));
    const inScope = side === 'erp' ? run.rules.erpInScope : run.rules.crmInScope;
    // What this run has written is its own (a resumed run's earlier attempts too), as the pool of an uninterrupted run would not hold it.
    const writtenByRun = (record: DomainRecord) => record.modifiedBy === writerTo(run, side) && (record.modifiedAt as Date).getTime() >= run.startedAt.getTime();
    const entries = records
      .filter((record: DomainRecord) => inScope(record) && !(side === 'erp' && run.rules.erpExcluded(record)) && !writtenByRun(record))
      .map((record) => ({ key: this.connectors[side].keyOf(table, record), print: recipe.fingerprint(side, record) }));
    return entries.length === 0 ? null : new CandidatePool(entries);
  }

  /** The side's records in the mapping's filter that no coupling holds, from its whole list. */
  private async listUncoupled(run: RunContext, side: SystemName): Promise<DomainRecord[]> {
    const column = side === 'erp' ? 'erpId' : 'crmId';
    const [records, coupled] = await Promise.all([
      this.connectors[side].list(run.tables[side], { first: MAX_POOL, filter: side === 'erp' ? run.mapping.erpFilter : run.mapping.crmFilter }),
      this.integration
        .getRepository(IntegrationRecord)
        .createQueryBuilder('link')
        .select(`link.${column}`, 'key')
        .where('link.mappingName = :name AND link.erpId IS NOT NULL AND link.crmId IS NOT NULL', { name: run.mapping.name })
        .getRawMany<{ key: string }>(),
    ]);
    const taken = new Set(coupled.map((row) => row.key));
    return records.filter((record: DomainRecord) => !taken.has(this.connectors[side].keyOf(run.tables[side], record)));
  }
}
