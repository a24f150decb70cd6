import type { ObjectLiteral } from 'typeorm';
import type { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import type { MergedFields } from './unified-types';

type MappingRule = Pick<FieldMapping, 'enabled' | 'erpField' | 'crmField' | 'direction'>;

/** Which side owns a merged field: its enabled field mapping's direction; a field with no mapping is the ERP's. */
export function mergeDirection(fieldMappings: readonly MappingRule[], erpField: string, crmField: string): SyncDirection {
  return fieldMappings.find((f) => f.enabled && f.erpField === erpField && f.crmField === crmField)?.direction ?? SyncDirection.TO_CRM;
}

/** Whether the ERP side counts as changed last (it wins a tie), for bidirectional fields. */
export function erpChangedLast(erp: ObjectLiteral | null, crm: ObjectLiteral | null): boolean {
  return !crm || (erp !== null && (erp.modifiedAt as Date).getTime() >= (crm.modifiedAt as Date).getTime());
}

/** One merged value: a missing side yields to the other; else the owner's, or the side changed last. */
export function mergedValue(direction: SyncDirection, erpValue: unknown, crmValue: unknown, hasErp: boolean, hasCrm: boolean, erpIsNewer: boolean): unknown {
  if (!hasErp || !hasCrm) return hasErp ? erpValue : crmValue;
  return direction === SyncDirection.TO_CRM ? erpValue : direction === SyncDirection.FROM_CRM ? crmValue : erpIsNewer ? erpValue : crmValue;
}

/**
 * Takes each merged field from the side that owns it by its field mapping's direction: the ERP for
 * ERP → CRM fields, the CRM for CRM → ERP fields, and the side changed last for bidirectional
 * ones. A side that is missing yields to the other; a field with no mapping is the ERP's.
 */
export function mergeFields(merged: MergedFields, fieldMappings: readonly FieldMapping[], erp: ObjectLiteral | null, crm: ObjectLiteral | null): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const erpIsNewer = erpChangedLast(erp, crm);
  for (const [name, [erpField, crmField]] of Object.entries(merged)) {
    const direction = erp && crm ? mergeDirection(fieldMappings, erpField, crmField) : SyncDirection.TO_CRM;
    values[name] = mergedValue(direction, erp?.[erpField] ?? null, crm?.[crmField] ?? null, erp !== null, crm !== null, erpIsNewer);
  }
  return values;
}
