import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { EdgeLimits } from '../../config/config';
import { ErrorCode } from '../../errors/error-codes';
import type { GatewayContext } from '../../../resolvers/common/gateway-context';
import type { OperationDeadlines } from './operation-deadline';
import { assertAffordable } from './operation-limits';
import { assertPlainVariables } from './plain-text-input';
import { introspectionRefusal, schemaVisibleTo, selectsIntrospection, withoutSuggestions } from './schema-visibility';

/**
 * The HTTP side of the edge, per request: introspection, variables holding a NUL byte and cost
 * are checked once the operation is known (the cost depends on the variables), the operation's deadline follows its kind, and
 * the response loses schema hints the caller may not see and says 503 when a store is down.
 */
export function apolloEdgePlugin(schema: GraphQLSchema, limits: EdgeLimits, production: boolean, deadlines: OperationDeadlines): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const visible = schemaVisibleTo(contextValue.principal, production);
      return {
        async didResolveOperation({ document, operationName, request, operation }) {
          if (!visible && selectsIntrospection(document)) throw introspectionRefusal(contextValue.principal);
          assertPlainVariables(request.variables);
          assertAffordable(schema, document, operationName, request.variables, limits);
          const scope = deadlines.current();
          if (scope && operation) {
            scope.kind = operation.operation;
            if (operation.operation === 'mutation') scope.expireIn(limits.mutationTimeoutMs);
          }
        },
        async willSendResponse({ response }) {
          deadlines.current()?.finish();
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const { errors } = response.body.singleResult;
          if (errors.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) response.http.status = 503;
          if (!visible) response.body.singleResult = { ...response.body.singleResult, errors: errors.map((error) => ({ ...error, message: withoutSuggestions(error.message) })) };
        },
      };
    },
  };
}
