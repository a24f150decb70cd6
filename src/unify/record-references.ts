import { REFERENCE_SEPARATOR, referenceEntry } from '../../entities/integration/record-references';
import type { DomainRecord, SystemName } from '../connectors/system-connector';
import { isUuid } from '../errors/input-checks';
import { compiledRelations } from './compiled/compiled-relations';
import { unifiedType } from './unified-types';

/**
 * The fields of each mapping's records, per side, that the index keeps as references: those a page
 * reads related records by (src/unify/page-prefetch.ts). A to-one relation's referring fields
 * (a customer's salesperson code and owner id) on the referring record; a to-many relation's
 * parent fields (a contact's company no. and customer no., its parent account id) on the related one.
 */
const referenceFields = new Map<string, Record<SystemName, Set<string>>>();

function fieldsOf(typeName: string): Record<SystemName, Set<string>> {
  const { mappingName } = unifiedType(typeName)!;
  let fields = referenceFields.get(mappingName);
  if (!fields) referenceFields.set(mappingName, (fields = { erp: new Set(), crm: new Set() }));
  return fields;
}

for (const [typeName, relations] of Object.entries(compiledRelations)) {
  for (const relation of Object.values(relations)) {
    if (relation.kind === 'one') {
      fieldsOf(typeName).erp.add(relation.erpRef);
      fieldsOf(typeName).crm.add(relation.crmRef);
      continue;
    }
    const target = fieldsOf(relation.target);
    target.erp.add(relation.erp.field);
    if (relation.erp.through) target.erp.add(relation.erp.through.field);
    target.crm.add(relation.crm.field);
  }
}

/**
 * A record's references as the index keeps them (see entities/integration/record-references.ts).
 * A value the format cannot hold, or a CRM reference that is no key, is left out: pages then
 * read what it refers to the way they would without the index.
 */
export function referencesOf(mappingName: string, system: SystemName, record: DomainRecord): string {
  const fields = referenceFields.get(mappingName)?.[system];
  if (!fields) return '';
  const entries: string[] = [];
  for (const field of fields) {
    const value = record[field];
    if (value === null || value === undefined || value === '') continue;
    const text = String(value);
    if (text.includes(REFERENCE_SEPARATOR) || (system === 'crm' && !isUuid(text))) continue;
    entries.push(referenceEntry(field, text));
  }
  return entries.join(REFERENCE_SEPARATOR);
}
