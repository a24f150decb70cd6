import type { DomainRecord } from '../connectors/system-connector';
import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { ConflictResolution } from '../../entities/integration/table-mapping.entity';
import { decodeConflicts, decodeFieldValues, mergeFields, type FieldChoices, type FieldMerge, type MergeField } from './field-merge';

/** What to do with one pair (or one uncoupled record) in a synchronisation run. */
export type SyncDecision =
  | { readonly kind: 'WRITE'; readonly to: 'crm' | 'erp'; readonly create: boolean }
  /** A coupled pair synchronised before: decided field by field, knowing which sides changed. */
  | { readonly kind: 'MERGE'; readonly merge: FieldMerge; readonly changed: ChangedSides }
  /** Unchanged since a run found fields in conflict, which still wait for an operator. */
  | { readonly kind: 'HELD' }
  | { readonly kind: 'UNCHANGED' }
  | { readonly kind: 'IGNORED' };

/** Which sides of a pair changed since its last synchronisation, by someone other than the engine. */
export interface ChangedSides {
  readonly erp: boolean;
  readonly crm: boolean;
}

export interface PairState {
  readonly erp: DomainRecord | null;
  readonly crm: DomainRecord | null;
  readonly link: IntegrationRecord | null;
}

export interface MappingRules {
  readonly direction: SyncDirection;
  readonly syncOnlyCoupledRecords: boolean;
  readonly updateConflictResolution: ConflictResolution;
  readonly erpInScope: (record: DomainRecord) => boolean;
  readonly crmInScope: (record: DomainRecord) => boolean;
  /** ERP records the integration never touches, coupled or not (the write-in item or resource). */
  readonly erpExcluded: (record: DomainRecord) => boolean;
  /** The CRM user the gateway writes as: its changes are the engine's own and never synchronised back. */
  readonly integrationUserId: string | null;
  /** The mapped fields the per-field merge decides. */
  readonly fields: readonly MergeField[];
  /** An operator's side per field in conflict (resolving conflicts field by field), or null. */
  readonly fieldChoices: FieldChoices | null;
}

/** Who the engine's ERP writes are stamped by (the CRM side writes as the integration user). */
export const ERP_WRITER = 'CRM INTEGRATION';

const flowsToCrm = (direction: SyncDirection) => direction !== SyncDirection.FROM_CRM;
const flowsToErp = (direction: SyncDirection) => direction !== SyncDirection.TO_CRM;
const newer = (modifiedAt: Date, lastSynced: Date | null) => lastSynced === null || modifiedAt.getTime() > lastSynced.getTime();

/**
 * The synchronisation rules for one pair, with no I/O: which side changed since the last
 * synchronisation (the integration user's CRM edits are not changes), what the mapping's
 * direction lets flow, and what its conflict policy does when both sides changed.
 */
export function decide(rules: MappingRules, pair: PairState): SyncDecision {
  const { erp, crm, link } = pair;
  const byIntegration = (record: DomainRecord) => rules.integrationUserId !== null && record.modifiedBy === rules.integrationUserId;
  if (erp && rules.erpExcluded(erp)) return { kind: 'IGNORED' };
  if (link?.erpId && link.crmId) {
    // A coupled record missing on one side is a deletion, which has its own policy.
    if (!erp || !crm) return { kind: 'IGNORED' };
    const neverSynced = link.lastSyncedErpModifiedAt === null && link.lastSyncedCrmModifiedAt === null;
    if (neverSynced) {
      return flowsToCrm(rules.direction) ? { kind: 'WRITE', to: 'crm', create: false } : { kind: 'WRITE', to: 'erp', create: false };
    }
    // The engine stamps its ERP writes as ERP_WRITER: like the integration user's CRM edits, those are its own.
    // A side a run found changed and then wrote without recording the pair stays changed (see pendingChanges).
    const pending = decodePendingChanges(link.pendingChanges);
    const erpChanged = pending.erp || (newer(erp.modifiedAt as Date, link.lastSyncedErpModifiedAt) && erp.modifiedBy !== ERP_WRITER);
    const crmChanged = pending.crm || (newer(crm.modifiedAt as Date, link.lastSyncedCrmModifiedAt) && !byIntegration(crm));
    const held = decodeConflicts(link.conflictingFields);
    // A conflict held from an earlier run stays as it is until an operator picks a side or the policy changes.
    const settled = held.size === 0 || (rules.fieldChoices === null && rules.updateConflictResolution === ConflictResolution.NONE);
    if (!erpChanged && !crmChanged && settled) return held.size > 0 ? { kind: 'HELD' } : { kind: 'UNCHANGED' };
    // A coupling synchronised before its fields' values were kept has no base: each field counts as changed on whichever side changed.
    const merge = mergeFields(rules.fields, {
      erp,
      crm,
      erpChanged,
      crmChanged,
      base: decodeFieldValues(link.syncedValues),
      held,
      policy: rules.updateConflictResolution,
      choices: rules.fieldChoices,
    });
    return { kind: 'MERGE', merge, changed: { erp: erpChanged, crm: crmChanged } };
  }
  if (rules.syncOnlyCoupledRecords) return { kind: 'IGNORED' };
  if (erp && !crm && rules.erpInScope(erp) && flowsToCrm(rules.direction)) return { kind: 'WRITE', to: 'crm', create: true };
  if (crm && !erp && rules.crmInScope(crm) && !byIntegration(crm) && flowsToErp(rules.direction)) return { kind: 'WRITE', to: 'erp', create: true };
  return { kind: 'IGNORED' };
}

/** Whether writing a merge would stamp a changed side as the engine's own: its change must be kept until the pair is recorded. */
export function hidesAChange(changed: ChangedSides, merge: FieldMerge): boolean {
  return (changed.crm && merge.toCrm.length > 0) || (changed.erp && merge.toErp.length > 0);
}

export function encodePendingChanges(changed: ChangedSides): string {
  return JSON.stringify((['erp', 'crm'] as const).filter((side) => changed[side]));
}

function decodePendingChanges(text: string | null): ChangedSides {
  const sides: string[] = text === null ? [] : (JSON.parse(text) as string[]);
  return { erp: sides.includes('erp'), crm: sides.includes('crm') };
}
