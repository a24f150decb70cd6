import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import type { SyncDirection } from '../../entities/integration/sync-direction';
import type { SyncJob } from '../../entities/integration/sync-job.entity';
import type { SystemName } from '../connectors/system-connector';
import type { JobCounters } from '../jobs/job-counters';
import type { References } from './reference-translator';

/** What a dry run found a record would come to. */
export enum PlannedOutcome {
  INSERT = 'INSERT',
  MODIFY = 'MODIFY',
  DELETE = 'DELETE',
  CONFLICT = 'CONFLICT',
  /** Held for duplicate review instead of created. */
  DUPLICATE = 'DUPLICATE',
  SKIP = 'SKIP',
  /** Reported for an operator (a coupled record deleted on one side, deletion policy NONE). */
  FAIL = 'FAIL',
  UNCOUPLE = 'UNCOUPLE',
}

/** One record of a dry run's outcome, as an example of it. */
export interface DryRunSample {
  readonly outcome: PlannedOutcome;
  readonly erpKey: string | null;
  readonly crmKey: string | null;
  /** The system that would be written, or null. */
  readonly to: SystemName | null;
  /** The fields that would change (the written system's names), or those in conflict. */
  readonly fields: readonly string[];
  readonly reason: string | null;
}

/** What a dry run of one mapping found: what a run would count, and some records of each outcome. */
export interface DryRunReport {
  readonly mappingName: string;
  readonly direction: SyncDirection;
  readonly counters: Required<JobCounters>;
  /** Source records read. */
  readonly processed: number;
  readonly samples: readonly DryRunSample[];
  /** The notes a run would leave (an option left blank…), with how many records each concerns. */
  readonly notes: ReadonlyMap<string, number>;
}

/** A job as a dry run found it would end (never stored), with the dry run's report. */
export type DryRunJob = SyncJob & { readonly dryRun: DryRunReport };

const SAMPLES_PER_OUTCOME = 5;

/**
 * Couplings a dry run of several mappings would make, by mapping: a later mapping translates its
 * references through them as it would through the couplings the earlier ones made in a run that
 * writes (a contact of an account the same run would create).
 */
export class PlannedCouplings {
  private readonly crmOfCode = new Map<string, Map<string, string>>();
  private readonly codeOfCrm = new Map<string, Map<string, string>>();

  add(mappingName: string, rows: readonly IntegrationRecord[]): void {
    for (const row of rows) {
      if (!row.erpId || !row.crmId || !row.erpCode || row.lastResult !== 'SUCCESS') continue;
      this.of(this.crmOfCode, mappingName).set(row.erpCode, row.crmId);
      this.of(this.codeOfCrm, mappingName).set(row.crmId, row.erpCode);
    }
  }

  /** `lookups`, with what they do not find taken from the planned couplings. */
  references(lookups: References): References {
    const fill = async (found: Map<string, string>, planned: Map<string, string> | undefined, keys: readonly string[]) => {
      for (const key of keys) if (!found.has(key) && planned?.has(key)) found.set(key, planned.get(key)!);
      return found;
    };
    return {
      codesToCrm: async (mappingName, codes) => fill(await lookups.codesToCrm(mappingName, codes), this.crmOfCode.get(mappingName), codes),
      crmToCodes: async (mappingName, keys) => fill(await lookups.crmToCodes(mappingName, keys), this.codeOfCrm.get(mappingName), keys),
      optionValues: (name, codes) => lookups.optionValues(name, codes),
      erpRecordsBy: (table, field, values) => lookups.erpRecordsBy(table, field, values),
      crmRecordsBy: (table, field, values) => lookups.crmRecordsBy(table, field, values),
    };
  }

  private of(maps: Map<string, Map<string, string>>, mappingName: string): Map<string, string> {
    let map = maps.get(mappingName);
    if (!map) maps.set(mappingName, (map = new Map()));
    return map;
  }
}

/**
 * A dry run's state: it decides and counts as a run that writes, and where that run would write
 * (a system, the integration store) it remembers instead what would have been written.
 */
export class DryRun {
  /** Integration records a commit would have written: decided by this run, as a run that writes knows from their modified-by. */
  private readonly decided = new Set<string>();
  private readonly samples = new Map<PlannedOutcome, DryRunSample[]>();
  /** Numbers each ERP table's series would have given so far, so that later chunks preview the ones after them. */
  private readonly numbers = new Map<string, number>();

  constructor(
    readonly mappingName: string,
    readonly planned: PlannedCouplings = new PlannedCouplings(),
  ) {}

  /** What a commit would have written. */
  committed(rows: readonly IntegrationRecord[]): void {
    for (const row of rows) this.decided.add(row.id);
    this.planned.add(this.mappingName, rows);
  }

  decidedEarlier(link: IntegrationRecord): boolean {
    return this.decided.has(link.id);
  }

  /** Keeps a record as an example of `outcome`, unless the run has enough of them. */
  sample(outcome: PlannedOutcome, keys: { erp: string | null; crm: string | null }, detail: Omit<DryRunSample, 'outcome' | 'erpKey' | 'crmKey'>): void {
    let taken = this.samples.get(outcome);
    if (!taken) this.samples.set(outcome, (taken = []));
    if (taken.length < SAMPLES_PER_OUTCOME) taken.push({ outcome, erpKey: keys.erp, crmKey: keys.crm, ...detail });
  }

  /** How many numbers of `table`'s series the run would have taken before, counting `count` more. */
  numbersBefore(table: string, count: number): number {
    const before = this.numbers.get(table) ?? 0;
    this.numbers.set(table, before + count);
    return before;
  }

  report(direction: SyncDirection, counters: Required<JobCounters>, processed: number, notes: ReadonlyMap<string, number>): DryRunReport {
    return { mappingName: this.mappingName, direction, counters: { ...counters }, processed, samples: [...this.samples.values()].flat(), notes };
  }
}
