import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Query, Resolver, type ClassType } from 'type-graphql';
import { Role } from '../../src/auth/role';
import type { GatewayContext } from './gateway-context';
import { listSelection, lookupSelection, selectsField } from '../../src/unify/compiled/record-selection';
import type { UnifiedTypeName } from '../../src/unify/unified-types';
import { Connection } from './connection.type';
import { ListArgs } from './list.args';

/** Who may read unified records. */
export const UNIFIED_READER = Role.VIEWER;

type RootResolver = (args: never, ctx: GatewayContext, info: GraphQLResolveInfo) => unknown;

/**
 * Every unified list and lookup by its Query field name, as a plain function of the arguments
 * graphql-js coerced: the schema calls these directly (see schema.ts), without type-graphql's
 * per-request conversion of the arguments into class instances.
 */
export const unifiedRootQueries = new Map<string, RootResolver>();

const listOf = (typeName: UnifiedTypeName) => (args: ListArgs, ctx: GatewayContext, info: GraphQLResolveInfo) =>
  ctx.records.list(typeName, args, listSelection(info, typeName), selectsField(info, 'totalCount'));

const oneOf = (typeName: UnifiedTypeName) => (args: { id: string }, ctx: GatewayContext, info: GraphQLResolveInfo) =>
  ctx.records.byId(args.id, typeName, (name) => lookupSelection(info, name));

/**
 * The two queries every unified type has: a Relay list over both systems and a lookup by id.
 * Each type's resolver extends this and adds its related records.
 */
export function UnifiedQueries<T extends object>(typeName: UnifiedTypeName, type: ClassType<T>, names: { list: string; one: string }) {
  const ConnectionType = Connection(typeName, type);
  const list = listOf(typeName);
  const one = oneOf(typeName);
  unifiedRootQueries.set(names.list, list as RootResolver);
  unifiedRootQueries.set(names.one, one as RootResolver);

  @Resolver(() => type)
  abstract class Queries {
    @Authorized(UNIFIED_READER)
    @Query(() => ConnectionType, { name: names.list, description: `${typeName} records from both systems, each coupled pair once.` })
    list(@Args(() => ListArgs) args: ListArgs, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
      return list(args, ctx, info);
    }

    @Authorized(UNIFIED_READER)
    @Query(() => type, { name: names.one, nullable: true })
    one(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
      return one({ id }, ctx, info);
    }
  }
  return Queries;
}
