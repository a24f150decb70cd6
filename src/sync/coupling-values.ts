import type { DomainRecord } from '../connectors/system-connector';
import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import { identityOf } from '../unify/record-identity';

/** A record's synchronisation history, as it is before its first synchronisation as a pair. */
export const NEVER_SYNCED = {
  coupledAt: null,
  lastSyncedAt: null,
  lastSyncedErpModifiedAt: null,
  lastSyncedCrmModifiedAt: null,
  syncedValues: null,
  conflictingFields: null,
  pendingChanges: null,
  lastResult: null,
  lastError: null,
} as const satisfies Partial<IntegrationRecord>;

/**
 * The integration record of a new coupling of two records: both sides indexed, never synchronised
 * as a pair, so PENDING until the first synchronisation.
 */
export function newCouplingValues(mappingName: string, keys: { erp: string; crm: string }, erp: DomainRecord, crm: DomainRecord, by: string): Omit<IntegrationRecord, 'id'> {
  const now = new Date();
  const erpIdentity = identityOf(mappingName, 'erp', erp);
  const crmIdentity = identityOf(mappingName, 'crm', crm);
  return {
    mappingName,
    erpId: keys.erp,
    crmId: keys.crm,
    erpCode: erpIdentity.number || null,
    erpInScope: true,
    crmInScope: true,
    erpModifiedAt: erp.modifiedAt as Date,
    crmModifiedAt: crm.modifiedAt as Date,
    sortKey: erpIdentity.sortKey,
    erpSearchText: erpIdentity.searchText,
    crmSearchText: crmIdentity.searchText,
    erpRefs: erpIdentity.references,
    crmRefs: crmIdentity.references,
    ...NEVER_SYNCED,
    coupledAt: now,
    modifiedAt: now,
    modifiedBy: by,
  };
}
