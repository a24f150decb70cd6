import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ExecutionArgs, ExecutionResult, GraphQLFormattedError } from 'graphql';
import { grants, Role } from '../../auth/role';
import type { Principal } from '../../auth/tokens';
import type { Caller } from '../../auth/caller';
import { operationLogger } from '../../observability/logger';
import type { GatewayMetrics } from './metrics';

/** The strongest role a caller holds, or anonymous: what a log line and an alert need, not every claim. */
export function roleOf(principal: Principal | null | undefined): string {
  if (!principal) return 'anonymous';
  return [Role.ADMIN, Role.OPERATOR, Role.VIEWER].find((role) => grants(principal.roles, role)) ?? 'none';
}

const codesOf = (errors: readonly GraphQLFormattedError[] | undefined): string[] =>
  (errors ?? []).map((error) => (typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNKNOWN'));

export interface FinishedOperation {
  readonly reqId: string;
  readonly operation: string | null;
  readonly type: string;
  readonly role: string;
  readonly started: bigint;
  readonly errorCodes: readonly string[];
}

/** One log line and one histogram observation per operation; an error counted per code. */
export function recordOperation(metrics: GatewayMetrics, done: FinishedOperation): void {
  const seconds = Number(process.hrtime.bigint() - done.started) / 1e9;
  const outcome = done.errorCodes.length > 0 ? 'error' : 'ok';
  metrics.operationDuration.observe({ operation: metrics.operationLabel(done.operation), type: done.type, outcome }, seconds);
  for (const code of done.errorCodes) metrics.errors.inc({ code });
  operationLogger.info(
    {
      reqId: done.reqId,
      operation: done.operation,
      type: done.type,
      role: done.role,
      durationMs: Math.round(seconds * 10_000) / 10,
      outcome,
      ...(outcome === 'error' ? { errorCodes: done.errorCodes } : {}),
    },
    'graphql operation',
  );
}

/**
 * Apollo plugin observing each HTTP operation once, when its response is sent: no per-field
 * hooks, so its cost does not grow with the size of a page. The request id is the one the HTTP
 * observer put on the request (a client's X-Request-Id, or a new one).
 */
export function operationObserver(metrics: GatewayMetrics): ApolloServerPlugin<Caller> {
  return {
    async requestDidStart({ request, contextValue }) {
      const started = process.hrtime.bigint();
      const reqId = request.http?.headers.get('x-request-id') ?? randomUUID();
      let type = 'unknown';
      let operation: string | null = request.operationName ?? null;
      return {
        async didResolveOperation(resolved) {
          type = resolved.operation?.operation ?? type;
          operation = resolved.operationName;
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          recordOperation(metrics, { reqId, operation, type, role: roleOf(contextValue.principal), started, errorCodes: codesOf(errors) });
        },
      };
    },
  };
}

type Subscribe = (args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>;

const isAsyncGenerator = (value: unknown): value is AsyncGenerator<ExecutionResult> => typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * Wraps graphql-ws's subscribe: a subscription counts as active from its start to its end (client
 * complete, socket closed, the stream ending or failing), and is logged and timed once, when it
 * ends. The end is taken when graphql-ws asks the stream to return, not when the stream gets round
 * to it (a stream waiting for its next event only returns once that event comes). One refused
 * before streaming (no role, bad arguments) is logged at once.
 */
export function observeSubscriptions(subscribe: Subscribe, metrics: GatewayMetrics): Subscribe {
  return async (args) => {
    const started = process.hrtime.bigint();
    const base = { reqId: randomUUID(), operation: args.operationName ?? null, type: 'subscription', role: roleOf((args.contextValue as Caller | undefined)?.principal), started };
    const result = await subscribe(args);
    if (!isAsyncGenerator(result)) {
      recordOperation(metrics, { ...base, errorCodes: codesOf(result.errors?.map((error) => error.toJSON())) });
      return result;
    }
    metrics.subscriptions.inc();
    let ended = false;
    const end = (errorCodes: string[]) => {
      if (ended) return;
      ended = true;
      metrics.subscriptions.dec();
      recordOperation(metrics, { ...base, errorCodes });
    };
    const observed: AsyncGenerator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => observed,
      async next() {
        try {
          const step = await result.next();
          if (step.done) end([]);
          return step;
        } catch (error) {
          end(['INTERNAL_SERVER_ERROR']);
          throw error;
        }
      },
      return(value) {
        end([]);
        return result.return(value);
      },
      throw(error) {
        end(['INTERNAL_SERVER_ERROR']);
        return result.throw(error);
      },
    };
    return observed;
  };
}
