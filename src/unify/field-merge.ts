import type { DomainRecord } from '../connectors/system-connector';
import type { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import type { MergedFields } from './unified-types';

/**
 * Takes each merged field from the side that owns it by its field mapping's direction: the ERP for
 * ERP → CRM fields, the CRM for CRM → ERP fields, and the side changed last for bidirectional
 * ones. A side that is missing yields to the other; a field with no mapping is the ERP's.
 */
export function mergeFields(merged: MergedFields, fieldMappings: readonly FieldMapping[], erp: DomainRecord | null, crm: DomainRecord | null): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const erpIsNewer = !crm || (erp !== null && (erp.modifiedAt as Date).getTime() >= (crm.modifiedAt as Date).getTime());
  for (const [name, [erpField, crmField]] of Object.entries(merged)) {
    const erpValue = erp?.[erpField] ?? null;
    const crmValue = crm?.[crmField] ?? null;
    if (!erp || !crm) {
      values[name] = erp ? erpValue : crmValue;
      continue;
    }
    const mapping = fieldMappings.find((f) => f.enabled && f.erpField === erpField && f.crmField === crmField);
    const direction = mapping?.direction ?? SyncDirection.TO_CRM;
    values[name] = direction === SyncDirection.TO_CRM ? erpValue : direction === SyncDirection.FROM_CRM ? crmValue : erpIsNewer ? erpValue : crmValue;
  }
  return values;
}
