import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { unifiedRootQueries } from '../../resolvers/common/unified-queries';
import type { CompiledReads } from '../unify/compiled/compiled-reads';
import { listSelection, lookupSelection, type RecordSelection } from '../unify/compiled/record-selection';
import { connectionShape, recordShape, type ConnectionEntry, type ResponseEntry } from '../unify/compiled/response-shape';
import { unifiedType, type UnifiedTypeName } from '../unify/unified-types';
import type { GatewayContext } from '../../resolvers/common/gateway-context';

interface PlannedField {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly field: FieldNode;
  readonly definition: GraphQLField<unknown, unknown>;
  readonly responseKey: string;
}

/** A unified list a compiled statement writes whole. */
export interface ListPlan extends PlannedField {
  readonly kind: 'list';
  readonly selection: RecordSelection;
  readonly shape: readonly ConnectionEntry[];
}

/** What a lookup asks of a record of one type, which a compiled statement writes. */
export interface RecordPlan {
  readonly selection: RecordSelection;
  readonly shape: readonly ResponseEntry[];
}

/**
 * A lookup of records by id: one of a type (`customer(id:)`…), one of any type (`node(id:)`), or a
 * federation router's batch of references (`_entities`); `records` by the type of record found,
 * for each type a compiled statement can write.
 */
export interface LookupPlan extends PlannedField {
  readonly kind: 'one' | 'node' | 'entities';
  readonly records: ReadonlyMap<string, RecordPlan>;
}

/** A document Apollo validated and answered without error, whose one field is a unified read a compiled statement writes whole. */
export type CompiledResponsePlan = ListPlan | LookupPlan;

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
    const plan = this.planOf(document, operation);
    if (!plan) {
      let names = this.unplannable.get(document);
      if (!names) this.unplannable.set(document, (names = new Set()));
      names.add(operationName);
    }
    return plan;
  }

  /** The plan of an operation whose one field is a unified read a compiled statement writes whole; null for any other. */
  planOf(document: DocumentNode, operation: OperationDefinitionNode): CompiledResponsePlan | null {
    const [field, ...others] = operation.selectionSet.selections;
    if (operation.operation !== 'query' || others.length || operation.directives?.length || field?.kind !== Kind.FIELD || field.directives?.length) return null;
    const name = field.name.value;
    const definition = this.schema.getQueryType()?.getFields()[name];
    if (!definition) return null;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    const planned: PlannedField = { document, operation, field, definition, responseKey: field.alias?.value ?? name };
    const type = getNamedType(definition.type);
    if (unifiedRootQueries.has(name) && isObjectType(type)) {
      const listed = CONNECTION.exec(type.name)?.[1];
      if (listed && unifiedType(listed)) return this.list(planned, type, listed as UnifiedTypeName, fragments);
      const record = unifiedType(type.name) && this.record(planned, type, fragments);
      return record ? { ...planned, kind: 'one', records: new Map([[type.name, record]]) } : null;
    }
    // node(id:) finds a record of any unified type, _entities one of each entity type with a reference resolver (the others answer the reference itself).
    const kind = name === 'node' ? 'node' : name === '_entities' ? 'entities' : null;
    if (!kind || !isAbstractType(type)) return null;
    const records = new Map<string, RecordPlan>();
    for (const possible of this.schema.getPossibleTypes(type)) {
      const resolvesReferences = Boolean((possible.extensions as { apollo?: { subgraph?: { resolveReference?: unknown } } }).apollo?.subgraph?.resolveReference);
      if (!unifiedType(possible.name) || (kind === 'entities' && !resolvesReferences)) continue;
      const record = this.record(planned, possible, fragments);
      if (record) records.set(possible.name, record);
    }
    return records.size ? { ...planned, kind, records } : null;
  }

  private list(planned: PlannedField, connection: GraphQLObjectType, typeName: UnifiedTypeName, fragments: Record<string, FragmentDefinitionNode>): ListPlan | null {
    const selection = listSelection(this.infoOf(planned.definition, planned.field, fragments), typeName);
    if (!selection || !this.reads.covers(selection)) return null;
    const shape = connectionShape(this.schema, fragments, connection, planned.field);
    if (!shape || !this.reads.writes(selection, shape)) return null;
    return { ...planned, kind: 'list', selection, shape };
  }

  /** What a lookup's field asks of a record of `type`, when a compiled statement can write it. */
  private record(planned: PlannedField, type: GraphQLObjectType, fragments: Record<string, FragmentDefinitionNode>): RecordPlan | null {
    const selection = lookupSelection(this.infoOf(planned.definition, planned.field, fragments), type.name as UnifiedTypeName);
    if (!selection || !this.reads.covers(selection)) return null;
    const shape = recordShape(this.schema, fragments, type, planned.field);
    return shape && this.reads.writesRecord(selection, shape) ? { selection, shape } : null;
  }

  /** What listSelection reads of a resolver's info, for a field not being resolved. */
  private infoOf(definition: GraphQLField<unknown, unknown>, field: FieldNode, fragments: Record<string, FragmentDefinitionNode>): GraphQLResolveInfo {
    return { schema: this.schema, fragments, returnType: definition.type, fieldNodes: [field] } as unknown as GraphQLResolveInfo;
  }
}

function planKey(query: string, operationName: unknown): string {
  return typeof operationName === 'string' ? `${operationName}\u0000${query}` : query;
}
