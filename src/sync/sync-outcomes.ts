import type { EntityManager, ObjectLiteral } from 'typeorm';
import { v7 as timeOrderedUuid } from 'uuid';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import { NEVER_SYNCED } from '../coupling/coupling-values';
import { bulkInsert } from '../db/bulk-insert';
import { identityOf } from '../unify/record-identity';
import type { WriteOutcome } from './field-transformer';
import type { PairState } from './sync-decision';
import type { RunContext } from './sync-run';

/**
 * What a run leaves in the integration store for each pair it handled: the coupling with its
 * last-synced modified-at per side, or the reason it was skipped, failed or conflicts; counted in
 * the run's job counters and written in one statement per chunk.
 */
export class SyncOutcomes {
  constructor(private readonly connectors: Readonly<Record<SystemName, SystemConnector>>) {}

  /**
   * The pair's integration record after a write (or a skip), counting it. `now` is the batch's
   * time: one for all its rows, so the statement sends the stamps once rather than per row.
   */
  outcomeRow(run: RunContext, pair: PairState, to: SystemName, write: 'create' | 'update' | 'restore', outcome: WriteOutcome, written: ReadonlyMap<ObjectLiteral, Date | Error>, now: Date): IntegrationRecord {
    const from: SystemName = to === 'crm' ? 'erp' : 'crm';
    const source = pair[from]!;
    if (outcome.kind === 'SKIP') {
      run.counters.skipped += 1;
      return this.linkRow(run, pair, { lastResult: SyncResult.SKIPPED, lastError: outcome.reason }, now);
    }
    const stamp = written.get(outcome.record)!;
    if (stamp instanceof Error) {
      run.counters.failed += 1;
      return this.linkRow(run, pair, { lastResult: SyncResult.FAILED, lastError: `The ${to.toUpperCase()} refused the record: ${stamp.message}` }, now);
    }
    for (const note of outcome.notes) run.notes.set(note, (run.notes.get(note) ?? 0) + 1);
    const result = { ...outcome.record, modifiedAt: stamp };
    const erp = to === 'erp' ? result : source;
    const crm = to === 'crm' ? result : source;
    if (write === 'update') run.counters.modified += 1;
    else run.counters.inserted += 1;
    if (write === 'create') run.counters.coupled += 1;
    return this.linkRow(run, pair, {
      erpId: this.connectors.erp.keyOf(run.tables.erp, erp),
      crmId: this.connectors.crm.keyOf(run.tables.crm, crm),
      erpModifiedAt: erp.modifiedAt as Date,
      crmModifiedAt: crm.modifiedAt as Date,
      lastSyncedErpModifiedAt: erp.modifiedAt as Date,
      lastSyncedCrmModifiedAt: crm.modifiedAt as Date,
      lastSyncedAt: now,
      lastResult: SyncResult.SUCCESS,
      lastError: outcome.notes.length > 0 ? outcome.notes.join('; ') : null,
      ...(write === 'create' ? { coupledAt: now } : {}),
      ...this.identities(run, erp, crm),
    }, now);
  }

  conflictRow(run: RunContext, pair: PairState, now: Date): IntegrationRecord {
    run.counters.failed += 1;
    return this.linkRow(run, pair, {
      lastResult: SyncResult.CONFLICT,
      lastError: 'Changed in both systems since the last synchronisation; the conflict policy is NONE, so nothing was overwritten',
    }, now);
  }

  private identities(run: RunContext, erp: ObjectLiteral, crm: ObjectLiteral): Partial<IntegrationRecord> {
    const erpIdentity = identityOf(run.mapping.name, 'erp', erp);
    const crmIdentity = identityOf(run.mapping.name, 'crm', crm);
    return {
      erpCode: erpIdentity.number || null,
      sortKey: erpIdentity.sortKey,
      erpSearchText: erpIdentity.searchText,
      crmSearchText: crmIdentity.searchText,
      erpInScope: run.rules.erpInScope(erp),
      crmInScope: run.rules.crmInScope(crm),
    };
  }

  /** The pair's integration record with `values` applied; a new one for a record the index has not seen yet. */
  linkRow(run: RunContext, pair: PairState, values: Partial<IntegrationRecord>, now: Date): IntegrationRecord {
    if (pair.link) return { ...pair.link, ...values, modifiedAt: now, modifiedBy: 'sync' };
    const side: SystemName = pair.erp ? 'erp' : 'crm';
    const record = pair[side]!;
    const identity = identityOf(run.mapping.name, side, record);
    return {
      // Time-ordered, so that a full run's thousands of new rows append to the primary key index instead of landing all over it.
      id: timeOrderedUuid(),
      mappingName: run.mapping.name,
      erpId: side === 'erp' ? this.connectors.erp.keyOf(run.tables.erp, record) : null,
      crmId: side === 'crm' ? this.connectors.crm.keyOf(run.tables.crm, record) : null,
      erpCode: side === 'erp' ? identity.number || null : null,
      erpModifiedAt: side === 'erp' ? (record.modifiedAt as Date) : null,
      crmModifiedAt: side === 'crm' ? (record.modifiedAt as Date) : null,
      sortKey: identity.sortKey,
      erpSearchText: side === 'erp' ? identity.searchText : null,
      crmSearchText: side === 'crm' ? identity.searchText : null,
      erpInScope: side === 'erp' ? run.rules.erpInScope(record) : true,
      crmInScope: side === 'crm' ? run.rules.crmInScope(record) : true,
      ...NEVER_SYNCED,
      ...values,
      modifiedAt: now,
      modifiedBy: 'sync',
    };
  }

  /**
   * Writes a chunk's integration records in one statement. A record created in a system may have
   * been indexed on its own meanwhile (a list request between the write and this transaction);
   * that one-sided row gives way to the coupling.
   */
  async writeLinks(manager: EntityManager, run: RunContext, rows: IntegrationRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const coupled = rows.filter((row) => row.erpId && row.crmId);
    if (coupled.length > 0) {
      await manager.query(
        `DELETE FROM integration.integration_record
          WHERE mapping_name = $1 AND id <> ALL($2::uuid[])
            AND ((crm_id = ANY($3::uuid[]) AND erp_id IS NULL) OR (erp_id = ANY($4::uuid[]) AND crm_id IS NULL))`,
        [run.mapping.name, coupled.map((row) => row.id), coupled.map((row) => row.crmId), coupled.map((row) => row.erpId)],
      );
    }
    await bulkInsert(manager, IntegrationRecord, rows, { replaceOnConflict: true });
  }
}
