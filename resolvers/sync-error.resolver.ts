import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { SyncResult } from '../entities/integration/integration-record.entity';
import { SyncJob } from '../entities/integration/sync-job.entity';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import { SyncResolution } from '../src/sync/sync-mode';
import { Connection } from './common/connection.type';
import { ConflictSide, FieldResolutionInput, SyncErrorField } from './sync-error-field.type';

registerEnumType(SyncResolution, { name: 'SyncResolution' });

@ObjectType({ description: 'A record whose last synchronisation failed, was skipped or found a conflict.' })
class SyncError {
  @Field(() => ID, { description: 'Pass to retrySyncErrors or resolveSyncErrors.' })
  id!: string;

  @Field()
  mappingName!: string;

  @Field(() => SyncResult)
  result!: SyncResult;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field()
  occurredAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The unified id of the ERP record, for node(id:).' })
  erpRecordId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The unified id of the CRM record, for node(id:).' })
  crmRecordId!: string | null;

  @Field({ description: 'Whether the ERP record still exists.' })
  erpExists!: boolean;

  @Field({ description: 'Whether the CRM record still exists.' })
  crmExists!: boolean;

  @Field(() => [SyncErrorField], {
    description: 'For a conflict: the fields changed in both systems, with both values and the last synchronised ones. The other fields were synchronised.',
  })
  fields!: SyncErrorField[];
}

@InputType()
class SyncErrorFilterInput {
  @Field(() => String, { nullable: true })
  mappingName?: string | null;

  @Field(() => SyncResult, { nullable: true })
  result?: SyncResult | null;
}

@ArgsType()
class SyncErrorArgs {
  @Field(() => Int, { defaultValue: 50, description: 'At most 1000.' })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => SyncErrorFilterInput, { nullable: true })
  filter?: SyncErrorFilterInput | null;
}

const SyncErrorConnection = Connection('SyncError', SyncError);

@Resolver()
export class SyncErrorResolver {
  @Authorized(Role.VIEWER)
  @Query(() => SyncErrorConnection, { description: 'The error queue.' })
  async syncErrors(@Args(() => SyncErrorArgs) args: SyncErrorArgs, @Ctx() ctx: GatewayContext) {
    const filter = args.filter ?? {};
    const page = await ctx.services.syncErrors.list(filter, args.first, args.after);
    return {
      edges: page.entries.map((node) => ({ node, cursor: node.id })),
      pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), startCursor: page.entries[0]?.id ?? null, endCursor: page.endCursor },
      get totalCount() {
        return ctx.services.syncErrors.count(filter);
      },
    };
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => [SyncJob], { description: 'Synchronises reported records again under the current rules (one job per table mapping).' })
  retrySyncErrors(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: GatewayContext) {
    return ctx.services.syncErrors.retry(ids, ctx.principal!.subject);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => [SyncJob], {
    description: 'Decides reported records: copy the winning side (ERP_WINS, CRM_WINS), or for a deleted counterpart RESTORE it, REMOVE_COUPLING, or DELETE_SURVIVOR.',
  })
  resolveSyncErrors(
    @Arg('ids', () => [ID]) ids: string[],
    @Arg('resolution', () => SyncResolution) resolution: SyncResolution,
    @Arg('fields', () => [FieldResolutionInput], {
      nullable: true,
      description:
        "Conflicts field by field: each named field takes its side, the other fields in conflict take the resolution's side (ERP_WINS, CRM_WINS) or stay in conflict, and nothing else is copied.",
    })
    fields: FieldResolutionInput[] | null,
    @Ctx() ctx: GatewayContext,
  ) {
    const choices = fields ? Object.fromEntries(fields.map((choice) => [choice.field, choice.side === ConflictSide.ERP ? 'erp' : 'crm'] as const)) : undefined;
    return ctx.services.syncErrors.resolve(ids, resolution, ctx.principal!.subject, choices);
  }
}
