import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Query, Resolver, type ClassType } from 'type-graphql';
import { Role } from '../../src/auth/role';
import type { GatewayContext } from '../../src/server/context';
import { listSelection, lookupSelection } from '../../src/unify/compiled/record-selection';
import type { UnifiedTypeName } from '../../src/unify/unified-types';
import { Connection } from './connection.type';
import { ListArgs } from './list.args';

/**
 * The two queries every unified type has: a Relay list over both systems and a lookup by id.
 * Each type's resolver extends this and adds its related records.
 */
export function UnifiedQueries<T extends object>(typeName: UnifiedTypeName, type: ClassType<T>, names: { list: string; one: string }) {
  const ConnectionType = Connection(typeName, type);

  @Resolver(() => type)
  abstract class Queries {
    @Authorized(Role.VIEWER)
    @Query(() => ConnectionType, { name: names.list, description: `${typeName} records from both systems, each coupled pair once.` })
    list(@Args(() => ListArgs) args: ListArgs, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
      return ctx.records.list(typeName, args, listSelection(info, typeName));
    }

    @Authorized(Role.VIEWER)
    @Query(() => type, { name: names.one, nullable: true })
    one(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
      return ctx.records.byId(id, typeName, (name) => lookupSelection(info, name));
    }
  }
  return Queries;
}
