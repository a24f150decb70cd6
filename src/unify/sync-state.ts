import { registerEnumType } from 'type-graphql';
import { SyncResult, type IntegrationRecord } from '../../entities/integration/integration-record.entity';

export enum SyncState {
  IN_SYNC = 'IN_SYNC',
  PENDING = 'PENDING',
  CONFLICT = 'CONFLICT',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
  UNCOUPLED = 'UNCOUPLED',
}

registerEnumType(SyncState, {
  name: 'SyncState',
  description: "Where a unified record stands, derived from its coupling and both sides' modified-at.",
  valuesConfig: {
    IN_SYNC: { description: 'Coupled, and neither side changed since the last synchronisation.' },
    PENDING: { description: 'Coupled, and one side changed since the last synchronisation (or it never ran).' },
    CONFLICT: { description: 'Coupled, and both sides changed since the last synchronisation.' },
    FAILED: { description: 'The last synchronisation of this record failed.' },
    SKIPPED: { description: 'The last synchronisation skipped this record (for example: its salesperson is not coupled).' },
    UNCOUPLED: { description: 'The record exists on one side only.' },
  },
});

type Link = Pick<IntegrationRecord, 'erpId' | 'crmId' | 'lastResult' | 'lastSyncedErpModifiedAt' | 'lastSyncedCrmModifiedAt'>;

const changedSince = (modifiedAt: Date | null, lastSynced: Date | null) => modifiedAt !== null && (lastSynced === null || modifiedAt.getTime() > lastSynced.getTime());

/**
 * The rule; `syncStateSql` below is the same rule for filtering, and a test holds them together.
 * A side's modified-at is null when its record is gone: a coupling that lost a side has changed
 * (a deletion) until a full run applies the deletion policy, and is never IN_SYNC. The index the
 * filter reads learns of a deletion only from that run, so the filter sees it then.
 */
export function deriveSyncState(link: Link | null, erpModifiedAt: Date | null, crmModifiedAt: Date | null): SyncState {
  if (!link || link.erpId === null || link.crmId === null) {
    if (link?.lastResult === SyncResult.SKIPPED) return SyncState.SKIPPED;
    if (link?.lastResult === SyncResult.FAILED) return SyncState.FAILED;
    return SyncState.UNCOUPLED;
  }
  if (erpModifiedAt === null || crmModifiedAt === null) return link.lastResult === SyncResult.FAILED ? SyncState.FAILED : SyncState.PENDING;
  const erpChanged = changedSince(erpModifiedAt, link.lastSyncedErpModifiedAt);
  const crmChanged = changedSince(crmModifiedAt, link.lastSyncedCrmModifiedAt);
  const everSynced = link.lastSyncedErpModifiedAt !== null && link.lastSyncedCrmModifiedAt !== null;
  if (everSynced && erpChanged && crmChanged) return SyncState.CONFLICT;
  if (link.lastResult === SyncResult.CONFLICT) return SyncState.CONFLICT;
  if (link.lastResult === SyncResult.FAILED) return SyncState.FAILED;
  if (link.lastResult === SyncResult.SKIPPED) return SyncState.SKIPPED;
  return erpChanged || crmChanged ? SyncState.PENDING : SyncState.IN_SYNC;
}

/**
 * deriveSyncState over integration_record's indexed modified-at columns, for `alias` (a table's
 * alias, or how a column of the row is written); or, given `sides`, over the sides' own
 * modified-at as the loaders read them (to the millisecond).
 */
export function syncStateSql(alias: string | ((column: string) => string), sides?: { readonly erpModifiedAt: string; readonly crmModifiedAt: string }): string {
  const r = typeof alias === 'string' ? (column: string) => `${alias}.${column}` : alias;
  const at = (expression: string) => (sides ? `date_trunc('milliseconds', ${expression})` : expression);
  const erpModifiedAt = sides ? at(sides.erpModifiedAt) : r('erp_modified_at');
  const crmModifiedAt = sides ? at(sides.crmModifiedAt) : r('crm_modified_at');
  const lastErp = at(r('last_synced_erp_modified_at'));
  const lastCrm = at(r('last_synced_crm_modified_at'));
  const erpChanged = `(${erpModifiedAt} IS NOT NULL AND (${lastErp} IS NULL OR ${erpModifiedAt} > ${lastErp}))`;
  const crmChanged = `(${crmModifiedAt} IS NOT NULL AND (${lastCrm} IS NULL OR ${crmModifiedAt} > ${lastCrm}))`;
  return `(CASE
    WHEN ${r('erp_id')} IS NULL OR ${r('crm_id')} IS NULL THEN
      CASE ${r('last_result')} WHEN 'SKIPPED' THEN 'SKIPPED' WHEN 'FAILED' THEN 'FAILED' ELSE 'UNCOUPLED' END
    WHEN ${erpModifiedAt} IS NULL OR ${crmModifiedAt} IS NULL THEN
      CASE ${r('last_result')} WHEN 'FAILED' THEN 'FAILED' ELSE 'PENDING' END
    WHEN ${lastErp} IS NOT NULL AND ${lastCrm} IS NOT NULL AND ${erpChanged} AND ${crmChanged} THEN 'CONFLICT'
    WHEN ${r('last_result')} IN ('CONFLICT', 'FAILED', 'SKIPPED') THEN ${r('last_result')}
    WHEN ${erpChanged} OR ${crmChanged} THEN 'PENDING'
    ELSE 'IN_SYNC' END)`;
}
