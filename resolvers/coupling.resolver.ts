import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { SyncDirection } from '../entities/integration/sync-direction';
import { SyncJob } from '../entities/integration/sync-job.entity';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import { Node } from './common/node.interface';

@ObjectType({ description: 'What couple did: the record now carrying both sides, and the job row of the run.' })
class CoupleResult {
  @Field(() => Node)
  record!: unknown;

  @Field(() => SyncJob)
  job!: SyncJob;

  @Field(() => SyncJob, { nullable: true, description: 'The synchronisation run right after coupling, when one was asked for.' })
  syncJob!: SyncJob | null;
}

@ObjectType({ description: 'What uncouple did: the two records that now stand on their own, and the job row of the run.' })
class UncoupleResult {
  @Field(() => Node)
  erpRecord!: unknown;

  @Field(() => Node)
  crmRecord!: unknown;

  @Field(() => SyncJob)
  job!: SyncJob;
}

@Resolver()
export class CouplingResolver {
  @Authorized(Role.OPERATOR)
  @Mutation(() => CoupleResult, {
    description: 'Couples a record that has an ERP side (erpId) with a record that exists in the CRM only (crmId), both of the same type.',
  })
  async couple(
    @Arg('erpId', () => ID) erpId: string,
    @Arg('crmId', () => ID) crmId: string,
    @Arg('syncDirection', () => SyncDirection, { nullable: true, description: 'Synchronise the pair right away, copying it this way (TO_CRM or FROM_CRM).' })
    syncDirection: SyncDirection | null,
    @Ctx() ctx: GatewayContext,
  ) {
    const outcome = await ctx.services.coupling.couple(erpId, crmId, ctx.principal!.subject);
    const [syncJob] = syncDirection ? await ctx.services.recordSync.syncRecords([outcome.id], syncDirection, ctx.principal!.subject) : [null];
    return { record: await ctx.records.byId(outcome.id), job: outcome.job, syncJob };
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => UncoupleResult, { description: 'Removes the coupling of a record; both sides remain, each on its own.' })
  async uncouple(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext) {
    const outcome = await ctx.services.coupling.uncouple(id, ctx.principal!.subject);
    const [erpRecord, crmRecord] = await Promise.all([ctx.records.byId(outcome.erpId), ctx.records.byId(outcome.crmId)]);
    return { erpRecord, crmRecord, job: outcome.job };
  }
}
