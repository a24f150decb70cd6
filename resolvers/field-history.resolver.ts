import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import { connectionOf } from './common/connection.type';
import { FieldHistoryConnection } from './field-history.type';

@Resolver()
export class FieldHistoryResolver {
  @Authorized(Role.VIEWER)
  @Query(() => FieldHistoryConnection, { description: 'Field lineage: every value the engine wrote into a record (either side of its pair), newest first, field by field.' })
  async fieldHistory(
    @Arg('recordId', () => ID) recordId: string,
    @Arg('field', () => String, { nullable: true, description: "Only this field: the ERP or the CRM field's name." }) field: string | null,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most 1000.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GatewayContext,
  ) {
    const page = await ctx.services.fieldHistory.page(recordId, field ?? null, first, after ?? null);
    return connectionOf({ ...page, nodes: page.entries }, after ?? null);
  }
}
