import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray, type PubSub } from 'type-graphql';
import { resolvers } from '../../resolvers';
import { requireRole } from '../auth/auth-checker';
import { authChecker } from '../auth/auth-checker';
import { Role } from '../auth/role';
import { lookupSelection } from '../unify/compiled/record-selection';
import { unifiedTypes } from '../unify/unified-types';
import type { GatewayContext } from './context';

const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

/**
 * type-graphql insists on a pub/sub for subscriptions, but each of ours streams from its own
 * source (`subscribe`, fed by PostgreSQL notifications), so no topic is ever used.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('Subscriptions stream from their own sources; nothing is published by topic');
  },
  subscribe: () => {
    throw new Error('Subscriptions stream from their own sources; nothing is subscribed by topic');
  },
};

/**
 * The gateway's schema: built code-first by type-graphql, then made an Apollo Federation 2
 * subgraph. Every unified type is an entity keyed by id whose references resolve through the
 * request's loaders, like any other lookup.
 */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: resolvers as unknown as NonEmptyArray<Function>,
    authChecker,
    validate: false,
    skipCheck: true,
    pubSub: NO_TOPICS,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolverMap = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const typeName of Object.keys(unifiedTypes)) {
    if (!resolverMap[typeName]) continue;
    resolverMap[typeName].__resolveReference = (reference: { id: string }, context: GatewayContext, info: GraphQLResolveInfo) => {
      requireRole(context, Role.VIEWER);
      return context.records.byId(reference.id, typeName, (name) => lookupSelection(info, name));
    };
  }
  return buildSubgraphSchema([{ typeDefs, resolvers: resolverMap as never }]);
}

/** The SDL a federation router composes: what schema/schema.graphql holds. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSubgraphSchema(schema).trim()}\n`;
}
