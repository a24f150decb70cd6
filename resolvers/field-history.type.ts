import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SyncDirection } from '../entities/integration/sync-direction';
import { FieldWriteReason } from '../src/sync/field-lineage';
import { Connection } from './common/connection.type';

registerEnumType(FieldWriteReason, {
  name: 'FieldWriteReason',
  description: 'Why the engine wrote a value.',
  valuesConfig: {
    RULE: { description: "The mapping's rules: the field changed on one side (or the record was new) and flowed to the other." },
    POLICY: { description: "Changed on both sides; the mapping's conflict policy picked this side (or its deletion policy restored the record)." },
    RESOLUTION: { description: "An operator's decision: a conflict resolved, a deleted record restored, or records synchronised in a chosen direction." },
    TRANSFORMATION: { description: 'A value the field mapping makes rather than copies: a constant, an option, a translated reference, a cut text.' },
  },
});

@ObjectType('FieldHistoryEntry', { description: 'A value the engine wrote into one field of a record.' })
export class FieldHistoryEntryType {
  @Field()
  at!: Date;

  @Field()
  mappingName!: string;

  @Field({ description: 'The field written, as the system written names it.' })
  field!: string;

  @Field(() => SyncDirection, { description: 'TO_CRM: written into the CRM record; FROM_CRM: into the ERP record.' })
  direction!: SyncDirection;

  @Field({ description: 'The value before, as JSON (null for a record the engine created).' })
  oldValue!: string;

  @Field({ description: 'The value written, as JSON.' })
  newValue!: string;

  @Field(() => FieldWriteReason)
  reason!: FieldWriteReason;

  @Field(() => ID, { nullable: true, description: 'The job that wrote it (syncJob(id:)).' })
  jobId!: string | null;

  @Field(() => ID, { description: "The ERP record's key (SystemId)." })
  erpKey!: string;

  @Field(() => ID, { description: "The CRM record's key." })
  crmKey!: string;
}

export const FieldHistoryConnection = Connection('FieldHistoryEntry', FieldHistoryEntryType);
