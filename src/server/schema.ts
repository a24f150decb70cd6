import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, getMetadataStorage, type BuildSchemaOptions, type PubSub } from 'type-graphql';
import { resolvers } from '../../resolvers';
import { UNIFIED_READER, unifiedRootQueries } from '../../resolvers/common/unified-queries';
import { requireRole } from '../auth/auth-checker';
import { authChecker } from '../auth/auth-checker';
import { Role } from '../auth/role';
import { compiledRelations } from '../unify/compiled/compiled-relations';
import { lookupSelection } from '../unify/compiled/record-selection';
import { unifiedTypes } from '../unify/unified-types';
import type { GatewayContext } from '../../resolvers/common/gateway-context';
import { DateTimeISO } from './date-time-scalar';

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
    resolvers: resolvers as unknown as BuildSchemaOptions['resolvers'],
    authChecker,
    validate: false,
    skipCheck: true,
    pubSub: NO_TOPICS,
    scalarsMap: [{ type: Date, scalar: DateTimeISO }],
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolverMap = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  readPlainFieldsDirectly(resolverMap);
  readUnifiedQueriesDirectly(resolverMap);
  takeRelationsReadInPlace(resolverMap);
  resolveSynchronouslyWhereWritten(resolverMap);
  awaitLazyCounts(resolverMap);
  for (const typeName of Object.keys(unifiedTypes)) {
    if (!resolverMap[typeName]) continue;
    resolverMap[typeName].__resolveReference = (reference: { id: string }, context: GatewayContext, info: GraphQLResolveInfo) => {
      requireRole(context, Role.VIEWER);
      return context.records.byId(reference.id, typeName, (name) => lookupSelection(info, name));
    };
  }
  return buildSubgraphSchema([{ typeDefs, resolvers: resolverMap as never }]);
}

/**
 * type-graphql wraps every plain field (a property, no field resolver, no middleware) in a
 * resolver that only reads the property; graphql's default resolver reads it without a wrapper
 * call per field, which a page of a thousand records' fields notices.
 */
function readPlainFieldsDirectly(resolverMap: Record<string, Record<string, unknown>>): void {
  const storage = getMetadataStorage();
  const typeNames = new Map(storage.objectTypes.map((type) => [type.target, type.name]));
  const resolved = new Set(
    storage.fieldResolvers.map((resolver) => `${typeNames.get(resolver.getObjectType?.() as (typeof storage.objectTypes)[number]['target']) ?? ''}.${resolver.schemaName}`),
  );
  const guarded = new Set(
    storage.fields.filter((field) => field.roles?.length || field.middlewares?.length).map((field) => `${typeNames.get(field.target) ?? ''}.${field.schemaName}`),
  );
  for (const type of storage.objectTypes) {
    const fields = resolverMap[type.name];
    if (!fields) continue;
    for (const field of Object.keys(fields)) {
      if (!field.startsWith('__') && !resolved.has(`${type.name}.${field}`) && !guarded.has(`${type.name}.${field}`)) delete fields[field];
    }
  }
}

/**
 * The unified lists and lookups, the hot path, called as plain functions: type-graphql's wrapper
 * turned their arguments into class instances on every request (a tenth of a read's resolver
 * time on a page); the role check is the one its @Authorized applied.
 */
function readUnifiedQueriesDirectly(resolverMap: Record<string, Record<string, unknown>>): void {
  const query = resolverMap.Query!;
  for (const [field, read] of unifiedRootQueries) {
    if (!query[field]) throw new Error(`Query.${field} is not in the schema`);
    query[field] = ((_root, args, context, info) => {
      requireRole(context, UNIFIED_READER);
      return read(args as never, context, info);
    }) satisfies GraphQLFieldResolver<unknown, GatewayContext>;
  }
}

/** Related records a compiled read put in place (see compiled-relations.ts) are taken as they are; others are loaded. */
function takeRelationsReadInPlace(resolverMap: Record<string, Record<string, unknown>>): void {
  for (const [typeName, relations] of Object.entries(compiledRelations)) {
    for (const field of Object.keys(relations!)) {
      const load = resolverMap[typeName]?.[field] as GraphQLFieldResolver<object, GatewayContext> | undefined;
      if (!load) throw new Error(`${typeName}.${field} has no field resolver to stand in for`);
      resolverMap[typeName]![field] = ((record, args, context, info) =>
        Object.hasOwn(record, field) ? (record as Record<string, unknown>)[field] : load(record, args, context, info)) satisfies GraphQLFieldResolver<object, GatewayContext>;
    }
  }
}

/**
 * type-graphql wraps every `resolveType` in an async function; graphql-jit (see jit-queries.ts)
 * takes a type resolver's answer as it comes, so the functions are used as the types declare them.
 */
function resolveSynchronouslyWhereWritten(resolverMap: Record<string, Record<string, unknown>>): void {
  const storage = getMetadataStorage();
  for (const { name, resolveType } of [...storage.interfaceTypes, ...storage.unions]) {
    if (resolveType && resolverMap[name]) resolverMap[name].__resolveType = resolveType;
  }
}

/**
 * A connection's totalCount is a getter that runs its count query only when asked for, so its
 * value is a promise: a resolver of its own makes graphql-jit await it (it reads plain fields as
 * they are) as graphql-js's default resolver does.
 */
function awaitLazyCounts(resolverMap: Record<string, Record<string, unknown>>): void {
  for (const type of getMetadataStorage().objectTypes) {
    const fields = resolverMap[type.name];
    if (fields && type.fields?.some((field) => field.name === 'totalCount') && !fields.totalCount) {
      fields.totalCount = (connection: { totalCount: Promise<number> | number }) => connection.totalCount;
    }
  }
}

/** The SDL a federation router composes: what schema/schema.graphql holds. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSubgraphSchema(schema).trim()}\n`;
}
