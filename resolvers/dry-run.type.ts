import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SyncDirection } from '../entities/integration/sync-direction';
import { PlannedOutcome, type DryRunReport, type DryRunSample } from '../src/sync/dry-run';
import { encodeUnifiedId } from '../src/unify/unified-id';
import { unifiedTypes } from '../src/unify/unified-types';

registerEnumType(PlannedOutcome, {
  name: 'SyncDryRunOutcome',
  description: 'What a synchronisation would do with a record.',
  valuesConfig: {
    DELETE: { description: 'Deleted (an operator deleting the survivor of a deletion; a run deletes nothing by itself).' },
    DUPLICATE: { description: 'Held for duplicate review instead of created.' },
    FAIL: { description: 'Reported for an operator (a coupled record deleted on one side, deletion policy NONE).' },
  },
});

@ObjectType('SyncDryRunSample', { description: 'A record as an example of what a synchronisation would do.' })
export class SyncDryRunSample {
  @Field(() => PlannedOutcome)
  outcome!: PlannedOutcome;

  @Field(() => ID, { nullable: true, description: 'The unified record as it is now (its ERP side when it has one), for lookups such as customer(id:).' })
  recordId!: string | null;

  @Field(() => ID, { nullable: true, description: "The ERP record's key (SystemId), also of one the run would create." })
  erpKey!: string | null;

  @Field(() => ID, { nullable: true, description: "The CRM record's key, also of one the run would create." })
  crmKey!: string | null;

  @Field(() => SyncDirection, { nullable: true, description: 'Which way the record would be written; null when nothing would be.' })
  direction!: SyncDirection | null;

  @Field(() => [String], { description: 'The fields that would change (names of the system written), or those in conflict.' })
  fields!: string[];

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType('SyncDryRun', { description: 'What a synchronisation of one mapping would do: decided as the run would decide, with nothing written.' })
export class SyncDryRun {
  @Field()
  mappingName!: string;

  @Field(() => Int, { description: 'Records that would be created (and coupled), or restored.' })
  inserted!: number;

  @Field(() => Int)
  modified!: number;

  @Field(() => Int)
  deleted!: number;

  @Field(() => Int, { description: 'Pairs with fields changed in both systems that would wait for an operator.' })
  conflicts!: number;

  @Field(() => Int, { description: 'Records that would be held as possible duplicates instead of created.' })
  heldAsDuplicate!: number;

  @Field(() => Int)
  skipped!: number;

  @Field(() => Int)
  unchanged!: number;

  @Field(() => Int, { description: 'Records that would be reported for an operator.' })
  failed!: number;

  @Field(() => Int)
  coupled!: number;

  @Field(() => Int)
  uncoupled!: number;

  @Field(() => Int, { description: 'Source records read.' })
  processed!: number;

  @Field(() => [SyncDryRunSample], { description: 'A few records of each outcome.' })
  samples!: SyncDryRunSample[];

  @Field(() => [String], { description: 'What the run would note (an option left blank…), with how many records each concerns.' })
  notes!: string[];

  static of(report: DryRunReport): SyncDryRun {
    const typeName = Object.values(unifiedTypes).find((type) => type.mappingName === report.mappingName)?.typeName ?? null;
    return {
      mappingName: report.mappingName,
      ...report.counters,
      processed: report.processed,
      samples: report.samples.map((sample) => sampleOf(typeName, sample)),
      notes: [...report.notes].map(([note, count]) => (count > 1 ? `${note} (${count} records)` : note)),
    };
  }
}

function sampleOf(typeName: string | null, sample: DryRunSample): SyncDryRunSample {
  // A record the run would create in the ERP does not exist yet: the sample names its CRM side.
  const erpExists = sample.erpKey !== null && !(sample.outcome === PlannedOutcome.INSERT && sample.to === 'erp');
  const side = erpExists ? { system: 'erp' as const, key: sample.erpKey! } : sample.crmKey ? { system: 'crm' as const, key: sample.crmKey } : null;
  return {
    outcome: sample.outcome,
    recordId: typeName && side ? encodeUnifiedId({ typeName, ...side }) : null,
    erpKey: sample.erpKey,
    crmKey: sample.crmKey,
    direction: sample.to === 'crm' ? SyncDirection.TO_CRM : sample.to === 'erp' ? SyncDirection.FROM_CRM : null,
    fields: [...sample.fields],
    reason: sample.reason,
  };
}
