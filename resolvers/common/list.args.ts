import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { SyncState } from '../../src/unify/sync-state';

@InputType({ description: 'Narrows a unified list; all given conditions must hold.' })
export class UnifiedFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the number or name of either side.' })
  search?: string | null;

  @Field(() => SyncState, { nullable: true })
  syncState?: SyncState | null;

  @Field(() => Boolean, { nullable: true, description: 'true: coupled pairs only; false: records on one side only.' })
  coupled?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Changed on either side at or after this time.' })
  modifiedSince?: Date | null;
}

@ArgsType()
export class ListArgs {
  @Field(() => Int, { defaultValue: 50, description: 'At most 1000.' })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => UnifiedFilter, { nullable: true })
  filter?: UnifiedFilter | null;
}
