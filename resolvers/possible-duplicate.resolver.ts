import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { SyncDirection } from '../entities/integration/sync-direction';
import { Role } from '../src/auth/role';
import { DuplicateAction } from '../src/duplicates/possible-duplicate.service';
import type { GatewayContext } from './common/gateway-context';
import { connectionOf } from './common/connection.type';
import { PossibleDuplicateConnection, PossibleDuplicateResolution } from './possible-duplicate.type';

@Resolver()
export class PossibleDuplicateResolver {
  @Authorized(Role.VIEWER)
  @Query(() => PossibleDuplicateConnection, {
    description: 'Records a synchronisation of the mapping held instead of creating them in the other system, with their candidates, in the order they were held.',
  })
  async possibleDuplicates(
    @Arg('mapping', () => String) mapping: string,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most 1000.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GatewayContext,
  ) {
    const page = await ctx.services.possibleDuplicates.page(mapping, first, after ?? null);
    const nodes = page.items.map((item) => ({ ...item, direction: item.side === 'erp' ? SyncDirection.TO_CRM : SyncDirection.FROM_CRM }));
    return connectionOf({ ...page, nodes }, after ?? null);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => PossibleDuplicateResolution, { description: 'Resolves a record held for duplicate review: couple it with a candidate, create it, or dismiss candidates.' })
  resolvePossibleDuplicate(
    @Arg('id', () => ID) id: string,
    @Arg('action', () => DuplicateAction) action: DuplicateAction,
    @Arg('erpId', () => ID, { nullable: true, description: 'The ERP candidate of a CRM record held (COUPLE, IGNORE).' }) erpId: string | null,
    @Arg('crmId', () => ID, { nullable: true, description: 'The CRM candidate of an ERP record held (COUPLE, IGNORE).' }) crmId: string | null,
    @Arg('syncDirection', () => SyncDirection, { nullable: true, description: "COUPLE: copy the pair this way (TO_CRM or FROM_CRM); by the mapping's rules when left out." })
    syncDirection: SyncDirection | null,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.possibleDuplicates.resolve(id, action, { erpId, crmId }, syncDirection ?? null, ctx.principal!.subject);
  }
}
