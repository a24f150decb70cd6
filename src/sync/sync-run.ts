import type { FieldMapping } from '../../entities/integration/field-mapping.entity';
import type { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { Table, SystemName, DomainRecord } from '../connectors/system-connector';
import type { JobCounters } from '../jobs/job-counters';
import type { DryRun } from './dry-run';
import type { References } from './reference-translator';
import type { MappingRules } from './sync-decision';

/** Everything one synchronisation run works with, and what it has counted so far. */
export interface RunContext {
  readonly mapping: TableMapping;
  /** A direction to copy coupled pairs in, whatever changed (synchronising chosen records). */
  readonly forced: 'crm' | 'erp' | null;
  readonly fields: FieldMapping[];
  readonly rules: MappingRules;
  readonly tables: Readonly<Record<SystemName, Table<DomainRecord>>>;
  readonly counters: Required<JobCounters>;
  /** Source records read so far. */
  processed: number;
  /** When the run started; for a resumed job, when it first started. */
  readonly startedAt: Date;
  /** When this attempt of it started (the same as startedAt unless it was resumed). */
  readonly attemptStartedAt: Date;
  /** Each distinct note (an option left blank…) and how many records it concerned. */
  readonly notes: Map<string, number>;
  /** How the run translates references, remembering what it has translated. */
  readonly references: References;
  /** The job the run writes for (what it writes is recorded against it); null until its job exists. */
  jobId: string | null;
  /** A dry run decides and counts as a run would, writes nothing, and keeps what it found here; null for a run that writes. */
  readonly dryRun: DryRun | null;
}
