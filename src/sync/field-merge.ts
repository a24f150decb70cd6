import type { DomainRecord } from '../connectors/system-connector';
import { FieldTransformation, type FieldMapping } from '../../entities/integration/field-mapping.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { ConflictResolution } from '../../entities/integration/table-mapping.entity';

/** A field mapping as the merge sees it: the two fields, which ways it may flow, and whether both sides hold comparable values. */
export interface MergeField {
  /** The CRM field: it names the field in the coupling's values and in conflicts. */
  readonly key: string;
  readonly erpField: string;
  readonly crmField: string;
  readonly toCrm: boolean;
  readonly toErp: boolean;
  /** Copied as it is (not a reference or an option), so equal values on both sides agree. */
  readonly comparable: boolean;
}

/** Each mapped field's values as last synchronised, ERP's then CRM's, by CRM field. */
export type FieldValues = Readonly<Record<string, readonly [unknown, unknown]>>;

/** Which side an operator picked for a field in conflict. */
export type FieldChoice = 'erp' | 'crm';

/** An operator's resolution of conflicts field by field: a side for some fields, and one for the others (or none: they stay held). */
export interface FieldChoices {
  readonly of: ReadonlyMap<string, FieldChoice>;
  readonly otherwise: FieldChoice | null;
}

export interface FieldMergeInput {
  readonly erp: DomainRecord;
  readonly crm: DomainRecord;
  /** Whether each side changed since the last synchronisation, by someone other than the engine (record level). */
  readonly erpChanged: boolean;
  readonly crmChanged: boolean;
  readonly base: FieldValues;
  /** Fields in conflict since an earlier run, waiting for an operator. */
  readonly held: ReadonlySet<string>;
  readonly policy: ConflictResolution;
  readonly choices: FieldChoices | null;
}

/** What flows which way: CRM fields copied from the ERP, ERP-side copies from the CRM, and fields in conflict. */
export interface FieldMerge {
  readonly toCrm: readonly string[];
  readonly toErp: readonly string[];
  readonly conflicts: readonly string[];
  /** Fields in conflict that flow all the same, because an operator's choice or the conflict policy gave them a side. */
  readonly resolved: readonly string[];
}

/** Values as they compare and as the coupling keeps them (JSON): a date as its ISO text, nothing as null. */
export const comparable = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : (value ?? null));

const same = (a: unknown, b: unknown) => comparable(a) === comparable(b);

/** Whether the merge decides a field mapping (and the coupling's synchronised values hold it): a field copied or transformed, not a constant. */
export const isMergedField = (field: FieldMapping): boolean => field.enabled && field.constantValue === null && field.erpField !== null;

/** The fields of a mapping that the merge decides, with the ways the mapping's and the field's directions let them flow. */
export function mergeFieldsOf(direction: SyncDirection, fields: readonly FieldMapping[]): MergeField[] {
  return fields.filter(isMergedField).map((field) => ({
    key: field.crmField,
    erpField: field.erpField!,
    crmField: field.crmField,
    toCrm: direction !== SyncDirection.FROM_CRM && field.direction !== SyncDirection.FROM_CRM,
    toErp: direction !== SyncDirection.TO_CRM && field.direction !== SyncDirection.TO_CRM,
    comparable: field.transformation === FieldTransformation.NONE,
  }));
}

/**
 * The per-field three-way merge of a coupled pair, with no I/O. A field changed (from its last
 * synchronised value) on one side only flows to the other, as far as the directions let it. A
 * field changed on both sides, or held in conflict by an earlier run, is a conflict unless both
 * now hold the same value: the operator's choice for it decides, else the conflict policy (ERP_WINS,
 * CRM_WINS), else it is held for an operator while the other fields flow. A side's change counts
 * only where that side may write the field, so a change against a field's direction never flows.
 * A field with no last synchronised value (mapped since) is changed on whichever side changed.
 */
export function mergeFields(fields: readonly MergeField[], input: FieldMergeInput): FieldMerge {
  const toCrm: string[] = [];
  const toErp: string[] = [];
  const conflicts: string[] = [];
  const resolved: string[] = [];
  for (const field of fields) {
    const erpValue = input.erp[field.erpField];
    const crmValue = input.crm[field.crmField];
    const base = input.base[field.key];
    const erpChanged = field.toCrm && input.erpChanged && (base === undefined || !same(erpValue, base[0]));
    const crmChanged = field.toErp && input.crmChanged && (base === undefined || !same(crmValue, base[1]));
    if ((erpChanged && crmChanged) || input.held.has(field.key)) {
      if (field.comparable && same(erpValue, crmValue)) continue;
      const winner = input.choices
        ? (input.choices.of.get(field.key) ?? input.choices.otherwise)
        : input.policy === ConflictResolution.ERP_WINS
          ? 'erp'
          : input.policy === ConflictResolution.CRM_WINS
            ? 'crm'
            : null;
      const flowsTo = winner === 'erp' && field.toCrm ? toCrm : winner === 'crm' && field.toErp ? toErp : null;
      if (!flowsTo) {
        conflicts.push(field.key);
        continue;
      }
      flowsTo.push(field.key);
      resolved.push(field.key);
    } else if (erpChanged) toCrm.push(field.key);
    else if (crmChanged) toErp.push(field.key);
  }
  return { toCrm, toErp, conflicts, resolved };
}

/**
 * The values a coupling keeps after a run: a field that flowed holds both sides as now written,
 * a field in conflict keeps its old base (it is still changed on both sides), and every other
 * field takes both sides' current values (a change that may not flow is not held against it).
 */
export function syncedValuesAfter(fields: readonly MergeField[], erp: DomainRecord, crm: DomainRecord, base: FieldValues, conflicts: readonly string[]): FieldValues {
  const values: Record<string, readonly [unknown, unknown]> = {};
  for (const field of fields) {
    const kept = conflicts.includes(field.key) ? base[field.key] : undefined;
    values[field.key] = kept ?? [comparable(erp[field.erpField]), comparable(crm[field.crmField])];
  }
  return values;
}

export function encodeFieldValues(values: FieldValues): string {
  return JSON.stringify(values);
}

export function decodeFieldValues(text: string | null): FieldValues {
  return text === null ? {} : (JSON.parse(text) as FieldValues);
}

export function decodeConflicts(text: string | null): ReadonlySet<string> {
  return new Set(text === null ? [] : (JSON.parse(text) as string[]));
}
