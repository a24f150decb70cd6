import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';

/** The unique keys an integration record takes in its mapping: its id and each side's record id. */
export function couplingKeys(rows: readonly IntegrationRecord[]): Set<string> {
  const keys = new Set<string>();
  for (const row of rows) {
    keys.add(`id:${row.id}`);
    if (row.erpId) keys.add(`erp:${row.erpId}`);
    if (row.crmId) keys.add(`crm:${row.crmId}`);
  }
  return keys;
}

export function sharesAKey(keys: ReadonlySet<string>, others: ReadonlySet<string>): boolean {
  for (const key of keys) if (others.has(key)) return true;
  return false;
}
