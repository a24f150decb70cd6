import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { getNamedType, Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { unifiedTypes } from '../unify/unified-types';
import type { GatewayContext } from '../../resolvers/common/gateway-context';

/**
 * The reads compiled: unified lists and lookups (`customers`, `customer`, `node`, `_entities`…),
 * the hot path, whose values are known to be plain data or promises of it where a field has a
 * resolver (graphql-jit reads a field without one as it is, not awaiting a promise in it).
 */
function unifiedReads(schema: GraphQLSchema): ReadonlySet<string> {
  const unified = new Set(Object.keys(unifiedTypes).flatMap((name) => [name, `${name}Connection`]));
  const fields = Object.entries(schema.getQueryType()?.getFields() ?? {});
  return new Set(fields.filter(([name, field]) => name === 'node' || name === '_entities' || unified.has(getNamedType(field.type).name)).map(([name]) => name));
}

function readsOnly(operation: OperationDefinitionNode, reads: ReadonlySet<string>): boolean {
  return (
    operation.operation === 'query' &&
    operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && (selection.name.value === '__typename' || reads.has(selection.name.value)))
  );
}

/**
 * Runs queries through graphql-jit: each (cached, parsed) document's operation is compiled once
 * into JavaScript that resolves and completes its fields without graphql-js's per-field
 * interpretation, which on a page of unified records cost more than the rest of the request
 * together. Only unified reads, and only their answers without errors: a read that fails anywhere,
 * a document graphql-jit cannot compile and every other operation run through graphql-js as
 * before, so clients get graphql-js's errors exactly (a failed read runs twice; reads only read).
 */
export function jitQueries(schema: GraphQLSchema): ApolloServerPlugin<GatewayContext> {
  const reads = unifiedReads(schema);
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  const compiledFor = (document: DocumentNode, operationName: string | null): CompiledQuery | null => {
    let byName = compiled.get(document);
    if (!byName) {
      byName = new Map();
      compiled.set(document, byName);
    }
    const key = operationName ?? '';
    if (!byName.has(key)) {
      const query = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
      byName.set(key, isCompiledQuery(query) ? query : null);
    }
    return byName.get(key)!;
  };
  const listener: GraphQLRequestListener<GatewayContext> = {
    async responseForOperation({ operation, document, operationName, contextValue, request }) {
      if (!operation || !readsOnly(operation, reads)) return null;
      const query = compiledFor(document, operationName);
      if (!query) return null;
      const result = await query.query(undefined, contextValue, request.variables ?? {});
      if (result.errors?.length) return null;
      return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: result.data } } };
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
