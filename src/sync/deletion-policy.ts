import { In, type DataSource, type EntityManager } from 'typeorm';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { DeletionConflictResolution } from '../../entities/integration/table-mapping.entity';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import type { ChunkWriter } from './chunk-writer';
import { NEVER_SYNCED } from './coupling-values';
import type { FieldTransformer, WriteOutcome } from './field-transformer';
import type { PairLoader } from './pair-loader';
import type { PairState } from './sync-decision';
import type { SyncOutcomes, WriteBatch } from './sync-outcomes';
import { PlannedOutcome } from './dry-run';
import { FieldWriteReason, type RecordWrite } from './field-lineage';
import type { RunContext } from './sync-run';
import { lockMappingRecords } from '../unify/mapping-records-lock';

/**
 * Couplings that lost a record on one side, and what becomes of them: the mapping's deletion
 * policy after a full run, or an operator's decision on a reported one.
 */
export class DeletionPolicy {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly transformer: FieldTransformer,
    private readonly pairs: PairLoader,
    private readonly writer: ChunkWriter,
    private readonly outcomes: SyncOutcomes,
    private readonly chunkSize: number,
  ) {}

  /**
   * Couplings whose record is gone on one side, handled by the mapping's deletion policy. A
   * coupling this run has written had both its records a moment ago (a pair missing a side is never
   * written by the passes), so only the others are checked; a deletion made while the run goes on
   * is found by the next full run. The scan walks the mapping's ERP-key index: every mapping shares
   * the table, and walking it in id order would visit all their rows.
   */
  async handleDeletions(run: RunContext): Promise<void> {
    let afterKey: string | null = null;
    for (;;) {
      const query = this.integration
        .getRepository(IntegrationRecord)
        .createQueryBuilder('r')
        .where('r.mapping_name = :mapping AND r.erp_id IS NOT NULL AND r.crm_id IS NOT NULL', { mapping: run.mapping.name })
        .andWhere(`NOT (r.modified_by = 'sync' AND r.modified_at >= :startedAt)`, { startedAt: run.startedAt });
      if (afterKey) query.andWhere('r.erp_id > :afterKey', { afterKey });
      const links = await query.orderBy('r.erp_id').limit(this.chunkSize).getMany();
      if (links.length === 0) return;
      afterKey = links[links.length - 1]!.erpId;
      const [erpKeys, crmKeys] = await Promise.all([
        this.connectors.erp.existingKeys(
          run.tables.erp,
          links.map((l) => l.erpId!),
        ),
        this.connectors.crm.existingKeys(
          run.tables.crm,
          links.map((l) => l.crmId!),
        ),
      ]);
      const broken = links.filter((l) => !erpKeys.has(l.erpId!) || !crmKeys.has(l.crmId!));
      // Only the broken pairs need their surviving record, to restore the other side from it.
      if (broken.length > 0) await this.apply(run, await this.pairs.pairsOfLinks(run, broken));
      if (links.length < this.chunkSize) return;
    }
  }

  /** An operator's decision for couplings that lost a side: the survivors are deleted too, with their couplings. */
  async deleteSurvivors(run: RunContext, broken: ReadonlyArray<PairState & { link: IntegrationRecord }>): Promise<void> {
    for (const system of ['erp', 'crm'] as const) {
      const survivors = broken.flatMap((pair) => (pair[system] ? [this.connectors[system].keyOf(run.tables[system], pair[system]!)] : []));
      run.counters.deleted += await this.connectors[system].delete(run.tables[system], survivors);
    }
    await this.integration.transaction(async (manager) => {
      await lockMappingRecords(manager, run.mapping.name, 'coupling');
      await manager.delete(IntegrationRecord, { id: In(broken.map((pair) => pair.link.id)) });
    });
  }

  /**
   * Seed-plus rule for a coupled record deleted on one side: RESTORE recreates it from the other
   * side under its old key, REMOVE_COUPLING leaves the surviving record uncoupled, NONE reports it.
   * With `resolution`, an operator's decision takes the place of the mapping's policy.
   */
  async apply(run: RunContext, pairs: PairState[], resolution?: DeletionConflictResolution): Promise<void> {
    const policy = resolution ?? run.mapping.deletionConflictResolution;
    if (policy === DeletionConflictResolution.RESTORE) {
      // A record can only be recreated by a mapping that writes its system: a one-way mapping's deleted source is reported instead.
      const writes = (pair: PairState) => (pair.crm ? run.mapping.direction !== SyncDirection.TO_CRM : run.mapping.direction !== SyncDirection.FROM_CRM);
      const stranded = pairs.filter((pair) => (pair.erp || pair.crm) && !writes(pair));
      if (stranded.length > 0) {
        const only = run.mapping.direction === SyncDirection.TO_CRM ? 'CRM' : 'ERP';
        await this.report(
          run,
          stranded,
          (gone) => `The ${gone} record was deleted; ${run.mapping.name} writes only to the ${only}, so it cannot be restored: remove the coupling or delete the survivor`,
        );
      }
      return this.restore(run, stranded.length > 0 ? pairs.filter((pair) => !stranded.includes(pair)) : pairs, resolution ? FieldWriteReason.RESOLUTION : FieldWriteReason.POLICY);
    }
    if (policy !== DeletionConflictResolution.REMOVE_COUPLING) {
      return this.report(run, pairs, (gone) => `The ${gone} record was deleted; with deletion policy NONE the coupling waits for you to restore it or remove the coupling`);
    }
    const now = new Date();
    run.counters.uncoupled += pairs.length;
    for (const pair of pairs)
      run.dryRun?.sample(
        PlannedOutcome.UNCOUPLE,
        { erp: pair.link?.erpId ?? null, crm: pair.link?.crmId ?? null },
        { to: null, fields: [], reason: `The ${pair.erp ? 'CRM' : 'ERP'} record was deleted` },
      );
    const bothGone = pairs.filter((pair) => !pair.erp && !pair.crm).map((pair) => pair.link!.id);
    const survivors = pairs
      .filter((pair) => pair.erp || pair.crm)
      .map((pair): IntegrationRecord => ({
        ...pair.link!,
        ...(pair.erp
          ? { crmId: null, crmModifiedAt: null, crmSearchText: null, crmRefs: null }
          : { erpId: null, erpModifiedAt: null, erpSearchText: null, erpRefs: null, erpCode: null }),
        ...NEVER_SYNCED,
        modifiedAt: now,
        modifiedBy: 'sync',
      }));
    await this.commit(run, survivors, [], async (manager) => {
      if (bothGone.length > 0) await manager.delete(IntegrationRecord, { id: In(bothGone) });
    });
  }

  /** Reports couplings that lost a side as failed, with the reason for the side gone. */
  private async report(run: RunContext, pairs: PairState[], reasonFor: (gone: 'ERP' | 'CRM') => string): Promise<void> {
    const now = new Date();
    run.counters.failed += pairs.length;
    const reported = pairs.map((pair) => {
      const reason = reasonFor(pair.erp ? 'CRM' : 'ERP');
      run.dryRun?.sample(PlannedOutcome.FAIL, { erp: pair.link?.erpId ?? null, crm: pair.link?.crmId ?? null }, { to: null, fields: [], reason });
      return this.outcomes.linkRow(run, pair, { lastResult: SyncResult.FAILED, lastError: reason }, now);
    });
    await this.commit(run, reported, []);
  }

  /** Recreates each deleted side from its survivor, under its old key. */
  private async restore(run: RunContext, pairs: PairState[], reason: FieldWriteReason): Promise<void> {
    const outcomes: Array<{ pair: PairState; to: SystemName; outcome: WriteOutcome }> = [];
    const written = new Map<DomainRecord, Date | Error>();
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
        run.dryRun,
      );
      results.forEach((outcome, index) => outcomes.push({ pair: missing[index]!, to, outcome }));
      const records = results.flatMap((outcome) => (outcome.kind === 'WRITE' ? [outcome.record] : []));
      if (records.length > 0) for (const [record, result] of await this.writer.write(run, to, records)) written.set(record, result);
    }
    const batch: WriteBatch = { written, now: new Date(), writes: [] };
    const rows = outcomes.map(({ pair, to, outcome }) => this.outcomes.outcomeRow(run, pair, to, 'restore', outcome, batch, reason));
    await this.commit(run, rows, batch.writes);
  }

  /** Writes integration records (and what they wrote) in one transaction, after `first`; a dry run only remembers them. */
  private async commit(run: RunContext, rows: IntegrationRecord[], writes: readonly RecordWrite[], first?: (manager: EntityManager) => Promise<void>): Promise<void> {
    if (run.dryRun) return run.dryRun.committed(rows);
    await this.integration.transaction(async (manager) => {
      await lockMappingRecords(manager, run.mapping.name, 'coupling');
      await first?.(manager);
      await this.outcomes.writeLinks(manager, run, rows, writes);
    });
  }
}
