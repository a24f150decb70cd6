import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { FullSyncRun } from '../entities/integration/full-sync-run.entity';
import { SyncJob } from '../entities/integration/sync-job.entity';
import { requireRole } from '../src/auth/auth-checker';
import { Role } from '../src/auth/role';
import type { DryFullSyncRun } from '../src/full-sync/full-sync-dry-run';
import { FullSyncReviewLine } from '../src/full-sync/full-sync-review.service';
import { SyncProgressEvent } from '../src/progress/progress-event';
import type { GatewayContext } from './common/gateway-context';
import { SyncDryRun } from './dry-run.type';

interface SubscribeData<A> {
  readonly args: A;
  readonly context: GatewayContext;
}

@Resolver(() => FullSyncRun)
export class FullSyncResolver {
  @Authorized(Role.ADMIN)
  @Mutation(() => FullSyncRun, {
    description: 'Starts a full synchronisation of every mapping in dependency order, in the background; follow it with fullSyncProgress.',
  })
  startFullSync(
    @Arg('dryRun', {
      defaultValue: false,
      description: 'Decide every mapping as the run would, in this request, and write nothing: the run returned was never stored; its dryRun field and jobs say what it would do.',
    })
    dryRun: boolean,
    @Ctx() ctx: GatewayContext,
  ) {
    return dryRun ? ctx.services.fullSyncDryRun.run(ctx.principal!.subject) : ctx.services.fullSync.start(ctx.principal!.subject);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => FullSyncRun, {
    description:
      'Pauses a running full synchronisation: running jobs stop after the chunk they are writing, the others wait; change notifications and the schedule leave its mappings alone until it is resumed.',
  })
  pauseFullSync(@Arg('runId', () => ID) runId: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.fullSync.pause(runId, ctx.principal!.subject);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => FullSyncRun, {
    description: 'Resumes a paused full synchronisation, or the latest cancelled one: its paused, cancelled and held jobs continue from their committed position.',
  })
  resumeFullSync(@Arg('runId', () => ID) runId: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.fullSync.resume(runId, ctx.principal!.subject);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => SyncJob, {
    description:
      'Cancels a job of a full synchronisation (a running one stops after the chunk it is writing; its mapping gets no automatic runs until the run is resumed), or a run waiting for its busy mapping.',
  })
  cancelSyncJob(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.fullSync.cancelJob(id, ctx.principal!.subject);
  }

  @Authorized(Role.VIEWER)
  @Query(() => [FullSyncReviewLine], { description: 'Full Synch. Review: per mapping, what a full synchronisation would do and how the latest one went.' })
  fullSyncReview(@Ctx() ctx: GatewayContext) {
    return ctx.services.fullSyncReview.review();
  }

  @Authorized(Role.VIEWER)
  @Query(() => FullSyncRun, { nullable: true, description: 'A full synchronisation; without an id, the latest.' })
  fullSyncRun(@Arg('id', () => ID, { nullable: true }) id: string | null, @Ctx() ctx: GatewayContext) {
    return id ? ctx.services.fullSync.runById(id) : ctx.services.fullSync.currentRun();
  }

  @FieldResolver(() => [SyncJob], { description: "The run's jobs; for a dry run, one per mapping, never stored." })
  jobs(@Root() run: FullSyncRun | DryFullSyncRun, @Ctx() ctx: GatewayContext) {
    return 'dryRun' in run ? run.dryRun : ctx.services.fullSync.jobsOf([run.id]);
  }

  @FieldResolver(() => [SyncDryRun], { nullable: true, description: 'What a dry run found, mapping by mapping; null for a run that wrote.' })
  dryRun(@Root() run: FullSyncRun | DryFullSyncRun) {
    return 'dryRun' in run ? run.dryRun.map((job) => SyncDryRun.of(job.dryRun)) : null;
  }

  @Subscription(() => SyncProgressEvent, {
    description: "A job's state and progress: its current state first, then each change, until its final event.",
    subscribe: ({ args, context }: SubscribeData<{ jobId: string }>) => {
      requireRole(context, Role.VIEWER);
      return context.services.progressStreams.job(args.jobId);
    },
  })
  syncJobProgress(@Root() event: SyncProgressEvent, @Arg('jobId', () => ID) _jobId: string) {
    return event;
  }

  @Subscription(() => SyncProgressEvent, {
    description:
      "A full synchronisation's progress: the run and its jobs as they are, then every change, until the run's final event. Without a run id: the run under way, or else the next to start.",
    subscribe: ({ args, context }: SubscribeData<{ runId?: string | null }>) => {
      requireRole(context, Role.VIEWER);
      return context.services.progressStreams.run(args.runId ?? null);
    },
  })
  fullSyncProgress(@Root() event: SyncProgressEvent, @Arg('runId', () => ID, { nullable: true }) _runId: string | null) {
    return event;
  }
}
