import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { SyncJob, SyncJobStatus, SyncJobType } from '../entities/integration/sync-job.entity';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import type { DryRunJob } from '../src/sync/dry-run';
import { Connection } from './common/connection.type';
import { SyncDryRun } from './dry-run.type';

@InputType({ description: 'Narrows the job log; all given conditions must hold.' })
class SyncJobFilter {
  @Field(() => String, { nullable: true })
  mappingName?: string | null;

  @Field(() => SyncJobType, { nullable: true })
  type?: SyncJobType | null;

  @Field(() => SyncJobStatus, { nullable: true })
  status?: SyncJobStatus | null;
}

@ArgsType()
class SyncJobArgs {
  @Field(() => Int, { defaultValue: 50, description: 'At most 1000.' })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => SyncJobFilter, { nullable: true })
  filter?: SyncJobFilter | null;
}

const SyncJobConnection = Connection('SyncJob', SyncJob);

@Resolver(() => SyncJob)
export class SyncJobResolver {
  @Authorized(Role.VIEWER)
  @Query(() => SyncJobConnection, { description: 'The job log, newest first.' })
  async syncJobs(@Args(() => SyncJobArgs) args: SyncJobArgs, @Ctx() ctx: GatewayContext) {
    const page = await ctx.services.jobs.list(args.filter ?? {}, args.first, args.after);
    return {
      edges: page.jobs.map((node, index) => ({ node, cursor: page.cursors[index]! })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(args.after),
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      },
      get totalCount() {
        return ctx.services.jobs.count(args.filter ?? {});
      },
    };
  }

  @FieldResolver(() => SyncDryRun, { nullable: true, description: 'What a dry run found; null for a job that ran.' })
  dryRun(@Root() job: SyncJob | DryRunJob) {
    return 'dryRun' in job ? SyncDryRun.of(job.dryRun) : null;
  }

  @Authorized(Role.VIEWER)
  @Query(() => SyncJob, { nullable: true })
  syncJob(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.jobs.get(id);
  }
}
