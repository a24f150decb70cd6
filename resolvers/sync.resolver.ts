import { Arg, Authorized, Ctx, ID, Mutation, registerEnumType, Resolver } from 'type-graphql';
import { SyncDirection } from '../entities/integration/sync-direction';
import { SyncJob } from '../entities/integration/sync-job.entity';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import { SyncMode } from '../src/sync/sync-mode';

registerEnumType(SyncMode, { name: 'SyncMode' });

@Resolver()
export class SyncResolver {
  @Authorized(Role.OPERATOR)
  @Mutation(() => SyncJob, {
    description:
      'Synchronises one table mapping now and returns its job row with what it did. SALESORDER-ORDER transfers the submitted CRM orders not transferred yet when Automatically Create Sales Orders is on, and is refused otherwise.',
  })
  runSync(
    @Arg('mapping', () => ID) mapping: string,
    @Arg('mode', () => SyncMode, { defaultValue: SyncMode.INCREMENTAL }) mode: SyncMode,
    @Arg('dryRun', {
      defaultValue: false,
      description: 'Decide every record as the run would and write nothing: the job returned was never stored, and its dryRun field says what the run would do.',
    })
    dryRun: boolean,
    @Ctx() ctx: GatewayContext,
  ) {
    return dryRun ? ctx.services.mappingRuns.dryRun(mapping, mode, ctx.principal!.subject) : ctx.services.mappingRuns.run(mapping, mode, ctx.principal!.subject);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => [SyncJob], {
    description:
      'Synchronises the given records now (one job per table mapping). With TO_CRM or FROM_CRM a coupled pair is copied that way whether or not it changed; without, the usual rules decide.',
  })
  syncRecords(@Arg('ids', () => [ID]) ids: string[], @Arg('direction', () => SyncDirection, { nullable: true }) direction: SyncDirection | null, @Ctx() ctx: GatewayContext) {
    return ctx.services.recordSync.syncRecords(ids, direction ?? null, ctx.principal!.subject);
  }
}
