import type { ObjectLiteral } from 'typeorm';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import { identityOf } from '../unify/record-identity';
import { DemoSyncCase, type DemoTally } from './demo-summary';
import type { DemoIds, DemoRandom } from './random-company';
import type { StoreBatch } from './store-batch';

/** Both sides' modified-at now, and what the last synchronisation saw of them. */
export interface SyncTimes {
  readonly erpModifiedAt: Date;
  readonly crmModifiedAt: Date;
  readonly lastSyncedAt: Date;
  readonly lastSyncedErpModifiedAt: Date;
  readonly lastSyncedCrmModifiedAt: Date;
}

/** The sync copied an ERP record into the CRM shortly after it changed. */
export function syncedToCrm(random: DemoRandom, erpModifiedAt: Date): SyncTimes {
  const crmModifiedAt = random.secondsAfter(erpModifiedAt, 5, 600);
  return {
    erpModifiedAt,
    crmModifiedAt,
    lastSyncedAt: crmModifiedAt,
    lastSyncedErpModifiedAt: erpModifiedAt,
    lastSyncedCrmModifiedAt: crmModifiedAt,
  };
}

/** The sync copied a CRM record into the ERP shortly after it changed. */
export function syncedToErp(random: DemoRandom, crmModifiedAt: Date): SyncTimes {
  const erpModifiedAt = random.secondsAfter(crmModifiedAt, 5, 600);
  return {
    erpModifiedAt,
    crmModifiedAt,
    lastSyncedAt: erpModifiedAt,
    lastSyncedErpModifiedAt: erpModifiedAt,
    lastSyncedCrmModifiedAt: crmModifiedAt,
  };
}

/** Someone edited the CRM record after the last sync (records are last synced at least 30 days before the base date). */
export function changedInCrm(random: DemoRandom, times: SyncTimes): SyncTimes {
  return { ...times, crmModifiedAt: random.daysAfter(times.lastSyncedAt, 1, 20) };
}

export function changedInErp(random: DemoRandom, times: SyncTimes): SyncTimes {
  return { ...times, erpModifiedAt: random.daysAfter(times.lastSyncedAt, 1, 20) };
}

/** A share of coupled pairs is left pending (changed in the CRM) or in conflict (changed on both sides). */
export function rollSyncCase(random: DemoRandom): DemoSyncCase {
  const roll = random.faker.number.float();
  if (roll < 0.01) return DemoSyncCase.BOTH_CHANGED;
  if (roll < 0.06) return DemoSyncCase.CRM_CHANGED;
  return DemoSyncCase.IN_SYNC;
}

/**
 * Leaves a coupled pair as the demo's sync case says: CRM_CHANGED edits the CRM record after the
 * last sync (a person, not the integration user, so the engine will pick it up); BOTH_CHANGED also
 * edits the ERP record, which makes a conflict.
 */
export function driftApart(
  random: DemoRandom,
  syncCase: DemoSyncCase,
  times: SyncTimes,
  pair: {
    readonly erp: { modifiedAt: Date };
    readonly crm: { modifiedAt: Date; modifiedBy: string };
    readonly crmEditorId: string;
    changeErp(): void;
    changeCrm(): void;
  },
): SyncTimes {
  if (syncCase === DemoSyncCase.IN_SYNC) return times;
  pair.changeCrm();
  let drifted = changedInCrm(random, times);
  pair.crm.modifiedAt = drifted.crmModifiedAt;
  pair.crm.modifiedBy = pair.crmEditorId;
  if (syncCase === DemoSyncCase.BOTH_CHANGED) {
    pair.changeErp();
    drifted = changedInErp(random, drifted);
    pair.erp.modifiedAt = drifted.erpModifiedAt;
  }
  return drifted;
}

interface CoupledSide {
  readonly id: string;
  readonly record: ObjectLiteral;
}

/** Writes couplings as the gateway would have left them after synchronising, and counts them. */
export class Coupler {
  constructor(
    private readonly ids: DemoIds,
    private readonly integration: StoreBatch,
    private readonly tally: DemoTally,
  ) {}

  couple(mappingName: string, erp: CoupledSide, crm: CoupledSide, times: SyncTimes, syncCase = DemoSyncCase.IN_SYNC): void {
    const erpIdentity = identityOf(mappingName, 'erp', erp.record);
    const crmIdentity = identityOf(mappingName, 'crm', crm.record);
    const lastWritten = Math.max(times.lastSyncedAt.getTime(), times.erpModifiedAt.getTime(), times.crmModifiedAt.getTime());
    this.integration.add(IntegrationRecord, {
      id: this.ids.of('integration_record', `${mappingName}/${erp.id}`),
      mappingName,
      erpId: erp.id,
      crmId: crm.id,
      erpModifiedAt: times.erpModifiedAt,
      crmModifiedAt: times.crmModifiedAt,
      sortKey: erpIdentity.sortKey,
      erpCode: erpIdentity.number || null,
      erpInScope: true,
      crmInScope: true,
      erpSearchText: erpIdentity.searchText,
      crmSearchText: crmIdentity.searchText,
      erpRefs: erpIdentity.references,
      crmRefs: crmIdentity.references,
      coupledAt: times.lastSyncedAt,
      lastSyncedAt: times.lastSyncedAt,
      lastSyncedErpModifiedAt: times.lastSyncedErpModifiedAt,
      lastSyncedCrmModifiedAt: times.lastSyncedCrmModifiedAt,
      // Synchronised before the gateway kept field values: the first synchronisation decides the whole record.
      syncedValues: null,
      conflictingFields: null,
      pendingChanges: null,
      lastResult: SyncResult.SUCCESS,
      lastError: null,
      modifiedAt: new Date(lastWritten),
      modifiedBy: 'demo',
    });
    this.tally.addCoupling(mappingName, syncCase);
  }
}
