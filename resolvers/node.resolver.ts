import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import { lookupSelection } from '../src/unify/compiled/record-selection';
import { Node } from './common/node.interface';

@Resolver()
export class NodeResolver {
  @Authorized(Role.VIEWER)
  @Query(() => Node, { nullable: true, description: 'Any unified record by its id.' })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
    return ctx.records.byId(id, undefined, (typeName) => lookupSelection(info, typeName));
  }
}
