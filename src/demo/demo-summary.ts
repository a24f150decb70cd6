import type { StoreName } from '../db/data-sources';

/** How a coupled pair was left: identical, changed in the CRM since the last sync, or changed on both sides. */
export enum DemoSyncCase {
  IN_SYNC = 'IN_SYNC',
  CRM_CHANGED = 'CRM_CHANGED',
  BOTH_CHANGED = 'BOTH_CHANGED',
}

export interface DemoSummary {
  readonly seed: number;
  readonly customers: number;
  /** Rows written, per store and table. */
  readonly rows: Readonly<Record<StoreName, Readonly<Record<string, number>>>>;
  /** Couplings (integration records holding both keys), per mapping. */
  readonly couplings: Readonly<Record<string, number>>;
  /** Coupled pairs by the state the demo left them in (CRM_CHANGED reads as PENDING, BOTH_CHANGED as CONFLICT). */
  readonly syncCases: Readonly<Record<DemoSyncCase, number>>;
}

/** The running counts behind a DemoSummary. */
export class DemoTally {
  private readonly rows: Record<StoreName, Record<string, number>> = { erp: {}, crm: {}, integration: {} };
  private readonly couplings: Record<string, number> = {};
  private readonly syncCases: Record<DemoSyncCase, number> = {
    [DemoSyncCase.IN_SYNC]: 0,
    [DemoSyncCase.CRM_CHANGED]: 0,
    [DemoSyncCase.BOTH_CHANGED]: 0,
  };

  addRows(store: StoreName, table: string, count: number): void {
    this.rows[store][table] = (this.rows[store][table] ?? 0) + count;
  }

  addCoupling(mappingName: string, syncCase: DemoSyncCase): void {
    this.couplings[mappingName] = (this.couplings[mappingName] ?? 0) + 1;
    this.syncCases[syncCase] += 1;
  }

  totalRows(): number {
    return Object.values(this.rows).reduce((sum, tables) => sum + Object.values(tables).reduce((a, b) => a + b, 0), 0);
  }

  summary(seed: number, customers: number): DemoSummary {
    return {
      seed,
      customers,
      rows: { erp: { ...this.rows.erp }, crm: { ...this.rows.crm }, integration: { ...this.rows.integration } },
      couplings: { ...this.couplings },
      syncCases: { ...this.syncCases },
    };
  }
}
