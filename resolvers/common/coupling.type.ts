import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SyncResult } from '../../entities/integration/integration-record.entity';

registerEnumType(SyncResult, { name: 'SyncResult' });

@ObjectType({ description: 'One ERP record coupled to one CRM record, and how their last synchronisation went.' })
export class Coupling {
  @Field(() => ID, { description: "The ERP record's SystemId." })
  erpId!: string;

  @Field(() => ID, { description: "The CRM record's GUID." })
  crmId!: string;

  @Field(() => Date, { nullable: true })
  coupledAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastSyncedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "The ERP side's modified-at that the last synchronisation saw." })
  lastSyncedErpModifiedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "The CRM side's modified-at that the last synchronisation saw." })
  lastSyncedCrmModifiedAt!: Date | null;

  @Field(() => SyncResult, { nullable: true })
  lastResult!: SyncResult | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;
}
