import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { unifiedRootQueries } from '../../resolvers/common/unified-queries';
import type { CompiledReads } from '../unify/compiled/compiled-reads';
import { listSelection, type RecordSelection } from '../unify/compiled/record-selection';
import { connectionShape, type ConnectionEntry } from '../unify/compiled/response-shape';
import { unifiedType, type UnifiedTypeName } from '../unify/unified-types';
import type { GatewayContext } from '../../resolvers/common/gateway-context';

/** A document Apollo validated and answered without error, whose one field is a unified list a compiled statement writes whole. */
export interface CompiledResponsePlan {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly field: FieldNode;
  readonly definition: GraphQLField<unknown, unknown>;
  readonly responseKey: string;
  readonly selection: RecordSelection;
  readonly shape: readonly ConnectionEntry[];
}

/** Documents remembered at most; the oldest is forgotten first (Apollo's own document cache is bounded too). */
const MAX_PLANS = 1_000;

const CONNECTION = /^(.+)Connection$/;

/**
 * The documents whose answers PostgreSQL writes whole (see compiled-responses.ts), by the query
 * text and operation name a client sends. A document is planned after Apollo has parsed,
 * validated (depth, aliases, directives, plain text) and answered it once without error, so a
 * planned document is one Apollo accepts; what depends on the request (token, variables, cost)
 * is checked again on every request.
 */
export class CompiledResponsePlans {
  private readonly plans = new Map<string, CompiledResponsePlan>();
  private readonly unplannable = new WeakMap<DocumentNode, Set<string>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly reads: CompiledReads,
  ) {}

  get(query: string, operationName: unknown): CompiledResponsePlan | undefined {
    return this.plans.size ? this.plans.get(planKey(query, operationName)) : undefined;
  }

  /** Plans each document answered through Apollo once, without error. */
  plugin(): ApolloServerPlugin<GatewayContext> {
    return {
      requestDidStart: async () => ({
        willSendResponse: async ({ request, response, document, operation }) => {
          if (typeof request.query !== 'string' || !document || !operation || response.body.kind !== 'single') return;
          if (response.body.singleResult.errors || (response.http.status ?? 200) !== 200) return;
          const key = planKey(request.query, request.operationName);
          if (this.plans.has(key)) return;
          const plan = this.plan(document, operation, request.operationName ?? '');
          if (!plan) return;
          if (this.plans.size >= MAX_PLANS) this.plans.delete(this.plans.keys().next().value!);
          this.plans.set(key, plan);
        },
      }),
    };
  }

  private plan(document: DocumentNode, operation: OperationDefinitionNode, operationName: string): CompiledResponsePlan | null {
    if (this.unplannable.get(document)?.has(operationName)) return null;
    const plan = planList(this.schema, this.reads, document, operation);
    if (!plan) {
      let names = this.unplannable.get(document);
      if (!names) this.unplannable.set(document, (names = new Set()));
      names.add(operationName);
    }
    return plan;
  }
}

/** The plan of an operation whose one field is a unified list a compiled statement writes whole; null for any other. */
export function planList(schema: GraphQLSchema, reads: CompiledReads, document: DocumentNode, operation: OperationDefinitionNode): CompiledResponsePlan | null {
  const [field, ...others] = operation.selectionSet.selections;
  if (operation.operation !== 'query' || others.length || operation.directives?.length || field?.kind !== Kind.FIELD || field.directives?.length) return null;
  if (!unifiedRootQueries.has(field.name.value)) return null;
  const definition = schema.getQueryType()?.getFields()[field.name.value];
  const connection = definition && getNamedType(definition.type);
  const typeName = connection && CONNECTION.exec(connection.name)?.[1];
  if (!definition || !isObjectType(connection) || !typeName || !unifiedType(typeName)) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  // What listSelection reads of a resolver's info, for a field not being resolved.
  const info = { schema, fragments, returnType: definition.type, fieldNodes: [field] } as unknown as GraphQLResolveInfo;
  const selection = listSelection(info, typeName as UnifiedTypeName);
  if (!selection || !reads.covers(selection)) return null;
  const shape = connectionShape(schema, fragments, connection, field);
  if (!shape || !reads.writes(selection, shape)) return null;
  return { document, operation, field, definition, responseKey: field.alias?.value ?? field.name.value, selection, shape };
}

function planKey(query: string, operationName: unknown): string {
  return typeof operationName === 'string' ? `${operationName}\u0000${query}` : query;
}
