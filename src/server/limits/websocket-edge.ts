import type { Server } from 'node:http';
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Context, ServerOptions } from 'graphql-ws';
import { LRUCache } from 'lru-cache';
import { WebSocketServer } from 'ws';
import type { Principal } from '../../auth/tokens';
import type { EdgeLimits } from '../../config/config';
import { DomainError, unauthenticated } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-codes';
import type { GatewayContext } from '../../../resolvers/common/gateway-context';
import { createContext } from '../context.factory';
import type { GatewayServices } from '../services';
import { subscribeSharingResults } from '../shared-subscription-results';
import type { OperationDeadlines, OperationScope } from './operation-deadline';
import { assertAffordable, limitRules, refusedOperation } from './operation-limits';
import { assertPlainVariables, plainTextLiterals } from './plain-text-input';
import { introspectionRefusal, schemaVisibleTo, selectsIntrospection, withoutSuggestions } from './schema-visibility';

type ConnectionParams = { authorization?: unknown };
type WsContext = Context<ConnectionParams>;
type Subscribe = (args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>;
type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** Parsed and validated documents by query text, as Apollo keeps them for HTTP. */
const DOCUMENTS_KEPT = 1_000;

/**
 * A WebSocket server that refuses, before the upgrade, a message larger than WS_MAX_PAYLOAD_BYTES
 * and a client address holding WS_MAX_CONNECTIONS_PER_CLIENT sockets already (HTTP 429).
 */
export function createWebSocketServer(httpServer: Server, path: string, limits: EdgeLimits): WebSocketServer {
  const open = new Map<string, number>();
  const wsServer = new WebSocketServer({
    server: httpServer,
    path,
    maxPayload: limits.wsMaxPayloadBytes,
    verifyClient: ({ req }, allow) => {
      const count = open.get(req.socket.remoteAddress ?? '') ?? 0;
      if (count >= limits.wsMaxConnectionsPerClient) allow(false, 429, 'Too many connections from this client');
      else allow(true);
    },
  });
  wsServer.on('connection', (socket, req) => {
    const address = req.socket.remoteAddress ?? '';
    open.set(address, (open.get(address) ?? 0) + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
  return wsServer;
}

interface Prepared {
  readonly document: DocumentNode | null;
  readonly errors: readonly GraphQLError[];
}

/**
 * graphql-ws's hooks for the same rules as HTTP: a token is needed to connect (close 4403)
 * unless anonymous sockets are allowed; each subscribe is parsed with the token limit, validated
 * with the same limits (once per distinct text), checked for introspection, its variables (NUL
 * bytes, then coercion, both BAD_USER_INPUT), cost and the per-connection subscription cap; queries and mutations get a deadline, which the socket closing
 * also ends; a subscription ends with UNAUTHENTICATED when its token expires.
 */
export function websocketEdge(options: {
  schema: GraphQLSchema;
  services: GatewayServices;
  limits: EdgeLimits;
  production: boolean;
  deadlines: OperationDeadlines;
  formatError: Formatter;
  /** Wraps each subscription's stream, e.g. to count and time it. */
  observe?: (subscribe: Subscribe) => Subscribe;
}): ServerOptions<ConnectionParams> {
  const { schema, services, limits, production, deadlines, formatError } = options;
  const subscribe: Subscribe = async (args) => {
    const result = await subscribeSharingResults(args);
    const principal = (args.contextValue as GatewayContext).principal;
    return principal && Symbol.asyncIterator in result ? endingAt(result, principal.expiresAt) : result;
  };
  const rules = [...specifiedRules, ...limitRules(limits), plainTextLiterals];
  const prepared = new LRUCache<string, Prepared>({ max: DOCUMENTS_KEPT });
  /** A query's or mutation's scope by its context, with the set of its connection's running ones. */
  const scopes = new WeakMap<object, { scope: OperationScope; running: Set<OperationScope> }>();
  const running = new WeakMap<WsContext, Set<OperationScope>>();

  const principalOf = (ctx: WsContext): Principal | null => {
    try {
      return services.tokens.authenticate(ctx.connectionParams?.authorization);
    } catch {
      return null;
    }
  };
  const format = (errors: readonly GraphQLError[], visible: boolean) =>
    errors.map((error) => {
      const formatted = formatError(error.toJSON(), error);
      return visible ? formatted : { ...formatted, message: withoutSuggestions(formatted.message) };
    });

  const prepare = (query: string): Prepared => {
    let known = prepared.get(query);
    if (!known) {
      let document: DocumentNode;
      try {
        document = parse(query, { maxTokens: limits.maxTokens });
      } catch (error) {
        return {
          document: null,
          errors: [
            error instanceof GraphQLError
              ? new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })
              : refusedOperation(ErrorCode.BAD_REQUEST, 'The query is not a string'),
          ],
        };
      }
      const invalid = validate(schema, document, rules).map((error) =>
        error.originalError instanceof DomainError ? error : new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      );
      known = { document, errors: invalid };
      prepared.set(query, known);
    }
    return known;
  };

  return {
    schema,
    onConnect: (ctx) => {
      try {
        return services.tokens.authenticate(ctx.connectionParams?.authorization) !== null || limits.wsAllowAnonymous;
      } catch {
        return false;
      }
    },
    onSubscribe: (ctx, _id, payload) => {
      if (Object.keys(ctx.subscriptions).length > limits.wsMaxSubscriptionsPerConnection) {
        return [refusedOperation(ErrorCode.TOO_MANY_SUBSCRIPTIONS, `A connection may hold at most ${limits.wsMaxSubscriptionsPerConnection} operations at once`)];
      }
      const { document, errors } = prepare(typeof payload.query === 'string' ? payload.query : '');
      if (!document || errors.length > 0) return [...errors];
      const contextValue = createContext(services, ctx.connectionParams?.authorization);
      const operation = getOperationAST(document, payload.operationName);
      if (!operation)
        return [new GraphQLError('The document names no such operation (or holds several and none was named)', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
      try {
        if (!schemaVisibleTo(contextValue.principal, production) && selectsIntrospection(document)) throw introspectionRefusal(contextValue.principal);
        assertPlainVariables(payload.variables);
        assertAffordable(schema, document, payload.operationName, payload.variables, limits);
      } catch (error) {
        return [error as GraphQLError];
      }
      // Checked here, as Apollo checks them over HTTP: graphql-js would report them without a code.
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
      if (coerced.errors) return coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } }));
      if (operation.operation !== 'subscription') {
        const scope = deadlines.begin(operation.operation === 'mutation' ? limits.mutationTimeoutMs : limits.queryTimeoutMs);
        scope.kind = operation.operation;
        let set = running.get(ctx);
        if (!set) running.set(ctx, (set = new Set()));
        set.add(scope);
        scopes.set(contextValue, { scope, running: set });
      }
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
    },
    execute: (args: ExecutionArgs) => {
      const operation = scopes.get(args.contextValue as object);
      if (!operation) return execute(args);
      const { scope, running: set } = operation;
      return Promise.resolve(deadlines.run(scope, () => execute(args))).finally(() => {
        scope.finish();
        set.delete(scope);
      });
    },
    subscribe: options.observe ? options.observe(subscribe) : subscribe,
    onClose: (ctx) => {
      for (const scope of running.get(ctx) ?? []) scope.stop('The client closed the connection');
    },
    onNext: (_ctx, _id, _payload, args, result) =>
      result.errors ? { ...result, errors: format(result.errors, schemaVisibleTo((args.contextValue as GatewayContext).principal, production)) } : result,
    onError: (ctx, _id, _payload, errors) => format(errors, schemaVisibleTo(principalOf(ctx), production)),
  };
}

const EXPIRED = Symbol('expired');

/** The longest a timer may wait (about 24.8 days); a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function untilExpiry(expiresAt: number): { expired: Promise<typeof EXPIRED>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    const wait = () => {
      const left = expiresAt - Date.now();
      if (left <= 0) resolve(EXPIRED);
      else timer = setTimeout(wait, Math.min(left, MAX_TIMER_MS)).unref();
    };
    wait();
  });
  return { expired, cancel: () => clearTimeout(timer) };
}

/**
 * Streams `source` until the token it was authorised with expires, then ends with UNAUTHENTICATED.
 * Not an async generator: one waiting for its next event would finish returning only when that
 * event came, keeping its timer (and the subscription) alive after its socket closed.
 */
function endingAt(source: AsyncGenerator<ExecutionResult>, expiresAt: number): AsyncGenerator<ExecutionResult> {
  const expiry = untilExpiry(expiresAt);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    expiry.cancel();
    void source.return(undefined);
  };
  const done = { done: true as const, value: undefined };
  const stream = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      if (ended) return done;
      const next = await Promise.race([source.next(), expiry.expired]);
      if (ended) return done;
      if (next === EXPIRED) {
        end();
        const error = unauthenticated('The token has expired: subscribe again with a new one');
        return { done: false, value: { errors: [new GraphQLError(error.message, { originalError: error, extensions: { code: ErrorCode.UNAUTHENTICATED } })] } };
      }
      if (next.done) end();
      return next;
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      end();
      return done;
    },
    async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
      end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return stream as unknown as AsyncGenerator<ExecutionResult>;
}
