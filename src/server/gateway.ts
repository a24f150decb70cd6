import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { BUSINESS_CENTRAL_WEBHOOK_PATH } from '../mirrors/business-central-webhook';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { DEFAULT_EDGE_LIMITS, type EdgeLimits } from '../config/config';
import { createErrorFormatter } from '../errors/format-error';
import { httpObserver, observeSockets, operationsRoutes } from './observability/http-observer';
import { GatewayMetrics } from './observability/metrics';
import { observeSubscriptions, operationObserver } from './observability/operation-observer';
import { mountConsole, type ConsoleOptions } from './console-route';
import type { GatewayContext } from '../../resolvers/common/gateway-context';
import { createContext } from './context.factory';
import { StoreProbes } from '../db/store-probe';
import { storeUrl } from '../db/data-sources';
import { changeListenerCheck, jobEngineCheck, READINESS_CHECK_TIMEOUT_MS, readinessRoute, readModelCheck, storeCheck } from './readiness';
import { apolloEdgePlugin } from './limits/apollo-edge.plugin';
import { bodyErrors, jsonBody, operationScope } from './limits/http-edge';
import { limitRules } from './limits/operation-limits';
import { plainTextLiterals } from './limits/plain-text-input';
import { createWebSocketServer, websocketEdge } from './limits/websocket-edge';
import { jitQueries } from './jit-queries';
import { CompiledResponsePlans } from './compiled-response-plans';
import { plannedResponses } from './compiled-responses';
import type { GatewayServices } from './services';

export const GRAPHQL_PATH = '/graphql';

/** How long stopping lets requests under way finish before their connections are closed (SHUTDOWN_DRAIN_SECONDS). */
const DEFAULT_DRAIN_MS = 30_000;

export interface RunningGateway {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly metrics: GatewayMetrics;
  /** Stops taking requests, lets those under way finish, closes WebSocket clients. */
  stop(): Promise<void>;
}

/**
 * Serves one schema over HTTP (Apollo Server on express) and graphql-ws on the same port and
 * path, with a context built per request (per subscription on a socket).
 */
export async function startGateway(options: {
  schema: GraphQLSchema;
  services: GatewayServices;
  port: number;
  production: boolean;
  /** Federated tracing (ftv1) for a router that reports to Apollo Studio; it costs a hook per field. */
  federatedTracing?: boolean;
  host?: string;
  console?: ConsoleOptions;
  /** What one operation and one client may ask; the defaults when not given. */
  limits?: Partial<EdgeLimits>;
  drainMs?: number;
}): Promise<RunningGateway> {
  const { schema, services, production } = options;
  const limits: EdgeLimits = { ...DEFAULT_EDGE_LIMITS, ...options.limits };
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  const metrics = new GatewayMetrics(services.stores);
  const unobserveReads = services.compiledReads?.observe((kind, seconds, failed) => metrics.compiledReads.observe({ kind, outcome: failed ? 'error' : 'ok' }, seconds));
  const app = express();
  app.disable('x-powered-by');
  // An ETag is a hash of every response body; no client revalidates a GraphQL POST, /metrics or a probe.
  app.set('etag', false);
  app.use(httpObserver(metrics));
  // Answers PostgreSQL writes whole, for documents Apollo answered once; federated tracing times fields, so it needs Apollo's execution.
  const reads = options.federatedTracing ? null : services.compiledReads;
  const plans = reads ? new CompiledResponsePlans(schema, reads) : null;
  const { deadlines } = services;
  const httpServer: Server = createServer(reads && plans ? plannedResponses({ schema, services, reads, plans, limits, deadlines, metrics, path: GRAPHQL_PATH }, app) : app);
  const wsServer = createWebSocketServer(httpServer, GRAPHQL_PATH, limits);
  observeSockets(wsServer, metrics);
  const formatError = createErrorFormatter(production);
  const observe = (subscribe: Parameters<typeof observeSubscriptions>[0]) => observeSubscriptions(subscribe, metrics);
  const wsCleanup = useServer(websocketEdge({ schema, services, limits, production, deadlines, formatError, observe }), wsServer);

  // Operations still running for clients that already went away; stopping waits for them too.
  let running = 0;
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: !production,
    // Who may introspect is decided per request (apolloEdgePlugin).
    introspection: true,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [...limitRules(limits), plainTextLiterals],
    // The composition root decides how the process stops (drain, then close the stores).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: drainMs }),
      apolloEdgePlugin(schema, limits, production, deadlines),
      operationObserver(metrics),
      // No field sets cache hints, so the per-field cache-control hook would only cost time.
      ApolloServerPluginCacheControlDisabled(),
      // Federated tracing times each field through graphql-js's resolvers, which compiled queries bypass.
      ...(options.federatedTracing ? [] : [ApolloServerPluginInlineTraceDisabled(), jitQueries(schema)]),
      ...(plans ? [plans.plugin()] : []),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
      {
        async requestDidStart() {
          running += 1;
          return {
            async willSendResponse() {
              running -= 1;
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  // First after the request observer: every GraphQL request would otherwise pass each probe's, the console's and the webhook's route first.
  app.use(
    GRAPHQL_PATH,
    jsonBody(limits),
    operationScope(deadlines, limits),
    expressMiddleware(apollo, { context: async ({ req }) => createContext(services, req.headers.authorization) }),
    bodyErrors,
  );

  app.use(operationsRoutes(metrics));
  app.get('/healthz', async (_req, res) => {
    try {
      await Promise.all([services.stores.erp.query('SELECT 1'), services.stores.crm.query('SELECT 1'), services.stores.integration.query('SELECT 1')]);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  const { stores } = services;
  const probes = new StoreProbes({ erp: storeUrl(stores.erp), crm: storeUrl(stores.crm), integration: storeUrl(stores.integration) }, READINESS_CHECK_TIMEOUT_MS);
  app.get(
    '/readyz',
    readinessRoute([
      storeCheck(probes, 'erp'),
      storeCheck(probes, 'crm'),
      storeCheck(probes, 'integration'),
      jobEngineCheck(services.queue),
      changeListenerCheck(services.readModel),
      readModelCheck(services.readModel),
    ]),
  );
  mountConsole(app, options.console ?? {});
  const webhook = services.systems.businessCentralWebhook;
  if (webhook) {
    app.post(BUSINESS_CENTRAL_WEBHOOK_PATH, express.text({ type: () => true, limit: limits.maxBodyBytes }), (req, res) => {
      const answer = webhook.receive(new URL(req.originalUrl, 'http://gateway').searchParams, typeof req.body === 'string' ? req.body : '');
      res.status(answer.status).type('text/plain').send(answer.body);
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}${GRAPHQL_PATH}`,
    wsUrl: `ws://localhost:${port}${GRAPHQL_PATH}`,
    port,
    metrics,
    async stop() {
      await apollo.stop();
      const deadline = Date.now() + drainMs;
      while (running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await probes.close();
      unobserveReads?.();
    },
  };
}
