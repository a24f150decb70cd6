import type { DataSource, EntityManager } from 'typeorm';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import { ConflictResolution } from '../../entities/integration/table-mapping.entity';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { NEVER_SYNCED } from './coupling-values';
import { bulkInsertStatements, runBulkStatements, type BulkStatement } from '../db/bulk-insert';
import { identityOf } from '../unify/record-identity';
import type { FieldMapping } from '../../entities/integration/field-mapping.entity';
import type { PlannedMerge } from './chunk-plan';
import { PlannedOutcome } from './dry-run';
import { createdFields, fieldChanges, FieldWriteReason, lineageStatement, ruleOrTransformation, type RecordWrite } from './field-lineage';
import { decodeConflicts, decodeFieldValues, encodeFieldValues, syncedValuesAfter } from './field-merge';
import type { WriteOutcome } from './field-transformer';
import { encodePendingChanges, hidesAChange, type PairState } from './sync-decision';
import type { DuplicateQueue, HeldRecord } from '../duplicates/duplicate-queue';
import { lockMappingRecords } from '../unify/mapping-records-lock';
import type { RunContext } from './sync-run';
import { TimeOrderedIds } from './time-ordered-ids';

const UNIQUE_VIOLATION = '23505';

const couplingIds = new TimeOrderedIds();

/** Whether a statement failed on a unique key (a coupling's key held by a one-sided row). */
export const isUniqueViolation = (error: unknown) => (error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION;

/** A chunk's integration records with their insert statements built, ready to run in a transaction. */
export interface PreparedLinks {
  readonly rows: IntegrationRecord[];
  readonly statements: BulkStatement[];
  /** The statement that records what the chunk wrote, field by field (see field-lineage). */
  readonly lineage: BulkStatement | null;
  /** The statement that queues the chunk's records held for duplicate review. */
  readonly duplicates: BulkStatement | null;
}

/** What a batch of writes came to: each record's result, the batch's time, and the field values it wrote. */
export interface WriteBatch {
  readonly written: ReadonlyMap<DomainRecord, Date | Error>;
  readonly now: Date;
  readonly writes: RecordWrite[];
}

/** A batch's integration records and what they wrote, field by field. */
export interface BatchOutcome {
  readonly rows: IntegrationRecord[];
  readonly writes: readonly RecordWrite[];
  /** Records held for duplicate review instead of created. */
  readonly duplicates?: readonly HeldRecord[];
}

/**
 * What a run leaves in the integration store for each pair it handled: the coupling with its
 * last-synced modified-at per side, or the reason it was skipped, failed or conflicts; counted in
 * the run's job counters and written in one statement per chunk.
 */
export class SyncOutcomes {
  /**
   * Rows given a new id by linkRow. Nothing holds their id yet, so they are inserted without ON
   * CONFLICT, whose speculative insertion costs an index probe and a WAL record more per row.
   */
  private readonly fresh = new WeakSet<IntegrationRecord>();

  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly duplicates: DuplicateQueue,
    /** Whether what the engine writes is recorded as field lineage (see SyncOptions.fieldLineage). */
    private readonly recordsLineage = true,
  ) {}

  /**
   * The pair's integration record after a write (or a skip), counting it, with the fields it
   * wrote added to the batch's, for `reason` when one decided every field. The batch's time is one
   * for all its rows, so the statement sends the stamps once rather than per row.
   */
  outcomeRow(
    run: RunContext,
    pair: PairState,
    to: SystemName,
    write: 'create' | 'update' | 'restore',
    outcome: WriteOutcome,
    batch: WriteBatch,
    reason?: FieldWriteReason,
  ): IntegrationRecord {
    const from: SystemName = to === 'crm' ? 'erp' : 'crm';
    const source = pair[from]!;
    if (outcome.kind === 'SKIP') {
      run.counters.skipped += 1;
      run.dryRun?.sample(PlannedOutcome.SKIP, this.keysOf(run, pair), { to, fields: [], reason: outcome.reason });
      return this.linkRow(run, pair, { lastResult: SyncResult.SKIPPED, lastError: outcome.reason }, batch.now);
    }
    const stamp = batch.written.get(outcome.record)!;
    if (stamp instanceof Error) {
      run.counters.failed += 1;
      return this.linkRow(run, pair, { lastResult: SyncResult.FAILED, lastError: `The ${to.toUpperCase()} refused the record: ${stamp.message}` }, batch.now);
    }
    for (const note of outcome.notes) run.notes.set(note, (run.notes.get(note) ?? 0) + 1);
    // The record as written: the system stamped it (the record is this batch's own copy).
    outcome.record.modifiedAt = stamp;
    const erp = to === 'erp' ? outcome.record : source;
    const crm = to === 'crm' ? outcome.record : source;
    if (write === 'update') run.counters.modified += 1;
    else run.counters.inserted += 1;
    if (write === 'create') run.counters.coupled += 1;
    // Copying a coupled pair one way whatever changed is an operator's decision (a resolution, or records synchronised in a chosen direction).
    const decided = reason ?? (run.forced && write === 'update' ? FieldWriteReason.RESOLUTION : null);
    const reasonOf = decided ? () => decided : undefined;
    const syncedValues = encodeFieldValues(syncedValuesAfter(run.rules.fields, erp, crm, {}, []));
    this.wrote(run, batch, erp, crm, to, write === 'update' ? pair[to] : null, outcome.record, reasonOf, write === 'update' ? PlannedOutcome.MODIFY : PlannedOutcome.INSERT, {
      created: write === 'create' ? syncedValues : null,
    });
    const row = this.syncedRow(run, pair, erp, crm, write === 'create', outcome.notes.length > 0 ? outcome.notes.join('; ') : null, syncedValues, null, batch.now);
    if (!pair.link) this.fresh.add(row);
    return row;
  }

  /**
   * Records on their couplings, before a chunk writes anything, what its writes would hide. Those
   * writes stamp the records as the engine's own, so a run that stops before the chunk's commit,
   * deciding these pairs again, would no longer see the edits on either side: the fields held in
   * conflict (held fields stay in conflict, see decide), and the changed sides of the pairs whose
   * writes stamp a changed side. The pair's row as this run writes it keeps the changed sides too:
   * a write refused on the other side leaves the pair unsynchronised, and its next run must still
   * see them; a row written as synchronised clears them. A dry run writes nothing to hide.
   */
  async recordBeforeWrites(run: RunContext, merges: readonly PlannedMerge[]): Promise<void> {
    if (run.dryRun) return;
    const marks = merges.flatMap(({ pair, merge, outcomes, changed }) => {
      if (outcomes.erp?.kind !== 'WRITE' && outcomes.crm?.kind !== 'WRITE') return [];
      const link = pair.link!;
      const conflicts = JSON.stringify(merge.conflicts);
      const fields = merge.conflicts.length > 0 && link.conflictingFields !== conflicts ? conflicts : null;
      const pending = hidesAChange(changed, merge) ? (link.pendingChanges = encodePendingChanges(changed)) : null;
      return fields !== null || pending !== null ? [{ id: link.id, fields, pending }] : [];
    });
    if (marks.length === 0) return;
    await this.integration.transaction(async (manager) => {
      await lockMappingRecords(manager, run.mapping.name, 'coupling');
      await manager.query(
        `UPDATE integration.integration_record AS link
            SET conflicting_fields = coalesce(mark.fields, link.conflicting_fields), pending_changes = coalesce(mark.pending, link.pending_changes)
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS mark(id, fields, pending) WHERE link.id = mark.id`,
        [marks.map((mark) => mark.id), marks.map((mark) => mark.fields), marks.map((mark) => mark.pending)],
      );
    });
  }

  /**
   * The integration record of a pair merged field by field, counting it: modified when it wrote
   * either side, a conflict when fields wait for an operator, else unchanged. A write that was
   * skipped or refused makes the pair's outcome, and the fields' values stay as they were.
   */
  mergedRow(run: RunContext, merged: PlannedMerge, batch: WriteBatch): IntegrationRecord {
    const { pair, merge, outcomes } = merged;
    // A field in conflict that flowed took the side an operator chose, or the conflict policy's.
    const resolvedBy = run.rules.fieldChoices ? FieldWriteReason.RESOLUTION : FieldWriteReason.POLICY;
    const reasonOf = (field: FieldMapping) => (merge.resolved.includes(field.crmField) ? resolvedBy : ruleOrTransformation(field));
    for (const to of ['crm', 'erp'] as const) {
      const outcome = outcomes[to];
      if (outcome && (outcome.kind === 'SKIP' || batch.written.get(outcome.record) instanceof Error)) {
        // The other side may have been written all the same: what it wrote is recorded.
        const from: SystemName = to === 'crm' ? 'erp' : 'crm';
        const written = outcomes[from];
        if (written?.kind === 'WRITE' && batch.written.get(written.record) instanceof Date) {
          written.record.modifiedAt = batch.written.get(written.record);
          this.wrote(
            run,
            batch,
            from === 'erp' ? written.record : pair.erp!,
            from === 'crm' ? written.record : pair.crm!,
            from,
            pair[from],
            written.record,
            reasonOf,
            PlannedOutcome.MODIFY,
          );
        }
        return this.outcomeRow(run, pair, to, 'update', outcome, batch);
      }
    }
    const notes: string[] = [];
    const side = (to: SystemName): DomainRecord => {
      const outcome = outcomes[to];
      if (outcome?.kind !== 'WRITE') return pair[to]!;
      outcome.record.modifiedAt = batch.written.get(outcome.record) as Date;
      for (const note of outcome.notes) run.notes.set(note, (run.notes.get(note) ?? 0) + 1);
      notes.push(...outcome.notes);
      return outcome.record;
    };
    const erp = side('erp');
    const crm = side('crm');
    for (const to of ['crm', 'erp'] as const) {
      if (outcomes[to]) this.wrote(run, batch, erp, crm, to, pair[to], to === 'crm' ? crm : erp, reasonOf, PlannedOutcome.MODIFY);
    }
    if (outcomes.erp || outcomes.crm) run.counters.modified += 1;
    if (merge.conflicts.length > 0) {
      run.counters.conflicts += 1;
      run.dryRun?.sample(PlannedOutcome.CONFLICT, this.keysOf(run, pair), { to: null, fields: merge.conflicts, reason: null });
    } else if (!outcomes.erp && !outcomes.crm) run.counters.unchanged += 1;
    const values = encodeFieldValues(syncedValuesAfter(run.rules.fields, erp, crm, decodeFieldValues(pair.link!.syncedValues), merge.conflicts));
    const row = this.syncedRow(
      run,
      pair,
      erp,
      crm,
      false,
      notes.length > 0 ? notes.join('; ') : null,
      values,
      merge.conflicts.length > 0 ? JSON.stringify(merge.conflicts) : null,
      batch.now,
    );
    if (merge.conflicts.length === 0) return row;
    const policy = run.rules.updateConflictResolution;
    return {
      ...row,
      lastResult: SyncResult.CONFLICT,
      lastError: `Changed in both systems since the last synchronisation: ${merge.conflicts.join(', ')}; ${policy === ConflictResolution.NONE ? 'the conflict policy is NONE, so' : 'the winning side may not write them, so'} they wait for you while the other fields were synchronised`,
    };
  }

  /** A pair held in conflict by an earlier run, unchanged since: counted as a conflict again. */
  held(run: RunContext, pair: PairState): void {
    run.counters.conflicts += 1;
    run.dryRun?.sample(PlannedOutcome.CONFLICT, this.keysOf(run, pair), {
      to: null,
      fields: [...decodeConflicts(pair.link!.conflictingFields)],
      reason: 'held from an earlier run',
    });
  }

  /**
   * Adds what a write to `to` changed to the batch (a dry run takes it as a sample of `outcome`).
   * A record created by the rules refers to its coupling's synchronised values (`created`) for
   * the fields they hold (see createdFields).
   */
  private wrote(
    run: RunContext,
    batch: WriteBatch,
    erp: DomainRecord,
    crm: DomainRecord,
    to: SystemName,
    before: DomainRecord | null,
    after: DomainRecord,
    reasonOf: ((field: FieldMapping) => FieldWriteReason) | undefined,
    outcome: PlannedOutcome,
    synced: { readonly created: string | null } = { created: null },
  ): void {
    if (!run.dryRun && !this.recordsLineage) return;
    const names = run.dryRun ? [] : undefined;
    const byReference = synced.created !== null && !names && !reasonOf ? createdFields(run.fields, to, after, synced.created) : undefined;
    const changes = byReference !== undefined ? (byReference?.changes ?? null) : fieldChanges(run.fields, to, before, after, reasonOf, names);
    const keys = { erp: this.connectors.erp.keyOf(run.tables.erp, erp), crm: this.connectors.crm.keyOf(run.tables.crm, crm) };
    run.dryRun?.sample(outcome, keys, { to, fields: names!, reason: null });
    if (changes && this.recordsLineage) batch.writes.push({ erpId: keys.erp, crmId: keys.crm, to, at: after.modifiedAt as Date, changes, recipe: byReference?.recipe });
  }

  private keysOf(run: RunContext, pair: PairState): { erp: string | null; crm: string | null } {
    return {
      erp: pair.erp ? this.connectors.erp.keyOf(run.tables.erp, pair.erp) : (pair.link?.erpId ?? null),
      crm: pair.crm ? this.connectors.crm.keyOf(run.tables.crm, pair.crm) : (pair.link?.crmId ?? null),
    };
  }

  /** A pair's integration record after a synchronisation, both records as they now are. Every column written out, the one shape for all rows: this runs for every record of a full synchronisation. */
  private syncedRow(
    run: RunContext,
    pair: PairState,
    erp: DomainRecord,
    crm: DomainRecord,
    created: boolean,
    notes: string | null,
    syncedValues: string,
    conflictingFields: string | null,
    now: Date,
  ): IntegrationRecord {
    const erpIdentity = identityOf(run.mapping.name, 'erp', erp);
    const crmIdentity = identityOf(run.mapping.name, 'crm', crm);
    return {
      id: pair.link?.id ?? couplingIds.next(),
      mappingName: run.mapping.name,
      erpId: this.connectors.erp.keyOf(run.tables.erp, erp),
      crmId: this.connectors.crm.keyOf(run.tables.crm, crm),
      erpCode: erpIdentity.number || null,
      erpInScope: run.rules.erpInScope(erp),
      crmInScope: run.rules.crmInScope(crm),
      erpModifiedAt: erp.modifiedAt as Date,
      crmModifiedAt: crm.modifiedAt as Date,
      sortKey: erpIdentity.sortKey,
      erpSearchText: erpIdentity.searchText,
      crmSearchText: crmIdentity.searchText,
      erpRefs: erpIdentity.references,
      crmRefs: crmIdentity.references,
      coupledAt: created ? now : (pair.link?.coupledAt ?? null),
      lastSyncedAt: now,
      lastSyncedErpModifiedAt: erp.modifiedAt as Date,
      lastSyncedCrmModifiedAt: crm.modifiedAt as Date,
      syncedValues,
      conflictingFields,
      pendingChanges: null,
      lastResult: SyncResult.SUCCESS,
      lastError: notes,
      modifiedAt: now,
      modifiedBy: 'sync',
    };
  }

  /** The pair's integration record with `values` applied; a new one for a record the index has not seen yet. */
  linkRow(run: RunContext, pair: PairState, values: Partial<IntegrationRecord>, now: Date): IntegrationRecord {
    if (pair.link) return { ...pair.link, ...values, modifiedAt: now, modifiedBy: 'sync' };
    const side: SystemName = pair.erp ? 'erp' : 'crm';
    const record = pair[side]!;
    const identity = identityOf(run.mapping.name, side, record);
    const row: IntegrationRecord = {
      // Time-ordered, so that a full run's thousands of new rows append to the primary key index instead of landing all over it.
      id: couplingIds.next(),
      mappingName: run.mapping.name,
      erpId: side === 'erp' ? this.connectors.erp.keyOf(run.tables.erp, record) : null,
      crmId: side === 'crm' ? this.connectors.crm.keyOf(run.tables.crm, record) : null,
      erpCode: side === 'erp' ? identity.number || null : null,
      erpModifiedAt: side === 'erp' ? (record.modifiedAt as Date) : null,
      crmModifiedAt: side === 'crm' ? (record.modifiedAt as Date) : null,
      sortKey: identity.sortKey,
      erpSearchText: side === 'erp' ? identity.searchText : null,
      crmSearchText: side === 'crm' ? identity.searchText : null,
      erpRefs: side === 'erp' ? identity.references : null,
      crmRefs: side === 'crm' ? identity.references : null,
      erpInScope: side === 'erp' ? run.rules.erpInScope(record) : true,
      crmInScope: side === 'crm' ? run.rules.crmInScope(record) : true,
      ...NEVER_SYNCED,
      ...values,
      modifiedAt: now,
      modifiedBy: 'sync',
    };
    this.fresh.add(row);
    return row;
  }

  /**
   * Builds the statements that write a chunk's integration records. Replacements go first: one
   * that gives up a key (a coupling left with one side) makes way for a new row holding it. New
   * rows go without ON CONFLICT (see `fresh`).
   */
  prepareLinks(run: RunContext, outcome: BatchOutcome): PreparedLinks {
    return {
      rows: outcome.rows,
      statements: this.linkStatements(outcome.rows),
      lineage: lineageStatement(run.mapping.name, run.jobId, outcome.writes),
      duplicates: this.duplicates.holdStatement(run.mapping.name, run.jobId, outcome.duplicates ?? []),
    };
  }

  private linkStatements(rows: IntegrationRecord[]): BulkStatement[] {
    const replacing = rows.filter((row) => !this.fresh.has(row));
    const fresh = replacing.length === 0 ? rows : rows.filter((row) => this.fresh.has(row));
    return [
      ...(replacing.length > 0 ? bulkInsertStatements(this.integration, IntegrationRecord, replacing, { replaceOnConflict: true }) : []),
      ...(fresh.length > 0 ? bulkInsertStatements(this.integration, IntegrationRecord, fresh) : []),
    ];
  }

  /**
   * Writes a chunk's integration records. A record created in a system may have been indexed on
   * its own meanwhile (a list request between the write and this transaction); that one-sided row
   * gives way to the coupling (see makeWay). It is rare, and the unique keys on both sides refuse
   * the write when it happens, so the write is tried first and the keys are cleared only then:
   * looking every time costs two index probes per record, as much as the write itself.
   */
  async writeLinks(manager: EntityManager, run: RunContext, rows: IntegrationRecord[], writes: readonly RecordWrite[] = []): Promise<void> {
    if (rows.length === 0) return;
    const prepared = this.prepareLinks(run, { rows, writes });
    await manager.query('SAVEPOINT links');
    try {
      await runBulkStatements(manager, prepared.statements);
      await manager.query('RELEASE SAVEPOINT links');
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT links');
      await this.writePreparedLinks(manager, run, { ...prepared, lineage: null }, { makeWay: true });
    }
    if (prepared.lineage) await manager.query(prepared.lineage.sql, prepared.lineage.parameters);
  }

  /**
   * Writes prepared integration records with no savepoint around them: a unique violation fails
   * the caller's transaction, and the caller tries it again with `makeWay`, which first clears the
   * keys of the new couplings (see makeWay).
   */
  async writePreparedLinks(manager: EntityManager, run: RunContext, prepared: PreparedLinks, options: { makeWay: boolean }): Promise<void> {
    const replaced = options.makeWay && (await this.makeWay(manager, run, prepared.rows));
    await runBulkStatements(manager, replaced ? this.linkStatements(prepared.rows) : prepared.statements);
    if (prepared.lineage) await manager.query(prepared.lineage.sql, prepared.lineage.parameters);
    if (prepared.duplicates) await manager.query(prepared.duplicates.sql, prepared.duplicates.parameters);
  }

  /**
   * Clears the keys new couplings need. A one-sided row holding one of them gives way. So does
   * the same pair coupled already by an earlier chunk that had not committed when this chunk was
   * read: a record edited while its pass ran comes round again in a later chunk, found uncoupled,
   * and is written to the same counterpart (created records' keys derive from their source); the
   * new row takes that row's place. Returns whether any new row did, so its statements change.
   */
  private async makeWay(manager: EntityManager, run: RunContext, rows: IntegrationRecord[]): Promise<boolean> {
    const adopted = await this.adoptIndexedRows(manager, run, rows);
    const coupled = rows.filter((row) => row.erpId && row.crmId);
    if (coupled.length === 0) return adopted;
    await manager.query(
      `DELETE FROM integration.integration_record
        WHERE mapping_name = $1 AND id <> ALL($2::uuid[])
          AND ((crm_id = ANY($3::uuid[]) AND erp_id IS NULL) OR (erp_id = ANY($4::uuid[]) AND crm_id IS NULL))`,
      [run.mapping.name, coupled.map((row) => row.id), coupled.map((row) => row.crmId), coupled.map((row) => row.erpId)],
    );
    const sameCouplings: Array<{ id: string; erp_id: string; crm_id: string }> = await manager.query(
      `SELECT id, erp_id, crm_id FROM integration.integration_record
        WHERE mapping_name = $1 AND erp_id = ANY($2::uuid[]) AND crm_id IS NOT NULL AND id <> ALL($3::uuid[])`,
      [run.mapping.name, coupled.map((row) => row.erpId), coupled.map((row) => row.id)],
    );
    const idOfPair = new Map(sameCouplings.map((row) => [`${row.erp_id}/${row.crm_id}`, row.id]));
    let replaced = adopted;
    for (const row of coupled) {
      const id = idOfPair.get(`${row.erpId}/${row.crmId}`);
      if (id === undefined) continue;
      row.id = id;
      this.fresh.delete(row);
      replaced = true;
    }
    return replaced;
  }

  /**
   * A new one-sided row (a record skipped or failed before it was ever indexed) whose key the
   * read model indexed meanwhile takes the indexed row's place instead of colliding with it.
   */
  private async adoptIndexedRows(manager: EntityManager, run: RunContext, rows: IntegrationRecord[]): Promise<boolean> {
    const oneSided = rows.filter((row) => this.fresh.has(row) && (row.erpId === null) !== (row.crmId === null));
    if (oneSided.length === 0) return false;
    const indexed: Array<{ id: string; erp_id: string | null; crm_id: string | null }> = await manager.query(
      `SELECT id, erp_id, crm_id FROM integration.integration_record
        WHERE mapping_name = $1 AND (erp_id IS NULL OR crm_id IS NULL) AND (erp_id = ANY($2::uuid[]) OR crm_id = ANY($3::uuid[]))`,
      [run.mapping.name, oneSided.flatMap((row) => (row.erpId ? [row.erpId] : [])), oneSided.flatMap((row) => (row.crmId ? [row.crmId] : []))],
    );
    const idOfKey = new Map(indexed.map((row) => [row.erp_id ? `erp:${row.erp_id}` : `crm:${row.crm_id}`, row.id]));
    let adopted = false;
    for (const row of oneSided) {
      const id = idOfKey.get(row.erpId ? `erp:${row.erpId}` : `crm:${row.crmId}`);
      if (id === undefined) continue;
      row.id = id;
      this.fresh.delete(row);
      adopted = true;
    }
    return adopted;
  }
}
