import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum ConflictSide {
  ERP = 'ERP',
  CRM = 'CRM',
}

registerEnumType(ConflictSide, { name: 'ConflictSide', description: 'The side whose value a field in conflict takes.' });

@ObjectType({ description: 'A field changed in both systems to different values since the last synchronisation: both values now, and as last synchronised.' })
export class SyncErrorField {
  @Field({ description: 'The CRM field; pass it to resolveSyncErrors(fields:).' })
  field!: string;

  @Field()
  erpField!: string;

  @Field({ description: 'The ERP value now, as JSON.' })
  erpValue!: string;

  @Field({ description: 'The CRM value now, as JSON.' })
  crmValue!: string;

  @Field(() => String, { nullable: true, description: 'The ERP value as last synchronised, as JSON.' })
  baseErpValue!: string | null;

  @Field(() => String, { nullable: true, description: 'The CRM value as last synchronised, as JSON.' })
  baseCrmValue!: string | null;
}

@InputType({ description: 'The side a field in conflict takes.' })
export class FieldResolutionInput {
  @Field({ description: 'The CRM field, as SyncError.fields names it.' })
  field!: string;

  @Field(() => ConflictSide)
  side!: ConflictSide;
}
