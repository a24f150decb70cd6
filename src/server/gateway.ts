import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createErrorFormatter } from '../errors/format-error';
import { mountConsole, type ConsoleOptions } from './console-route';
import type { GatewayContext } from './context';
import { createContext } from './context.factory';
import { jitQueries } from './jit-queries';
import { readinessRoute, readModelCheck } from './readiness';
import { subscribeSharingResults } from './shared-subscription-results';
import type { GatewayServices } from './services';

export const GRAPHQL_PATH = '/graphql';

const STOP_GRACE_MS = 10_000;

export interface RunningGateway {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
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
}): Promise<RunningGateway> {
  const { schema, services, production } = options;
  const app = express();
  const httpServer: Server = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const formatError = createErrorFormatter(production);
  const wsCleanup = useServer<{ authorization?: unknown }>(
    {
      schema,
      context: (ctx) => createContext(services, ctx.connectionParams?.authorization),
      subscribe: subscribeSharingResults,
      // Results over the socket get the same error treatment as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : result,
    },
    wsServer,
  );

  // Operations still running for clients that already went away; stopping waits for them too.
  let running = 0;
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: !production,
    introspection: true,
    // The composition root decides how the process stops (drain, then close the stores).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No field sets cache hints, so the per-field cache-control hook would only cost time.
      ApolloServerPluginCacheControlDisabled(),
      // Federated tracing times each field through graphql-js's resolvers, which compiled queries bypass.
      ...(options.federatedTracing ? [] : [ApolloServerPluginInlineTraceDisabled(), jitQueries(schema)]),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
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

  app.get('/healthz', async (_req, res) => {
    try {
      await Promise.all([services.stores.erp.query('SELECT 1'), services.stores.crm.query('SELECT 1'), services.stores.integration.query('SELECT 1')]);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.get('/readyz', readinessRoute([readModelCheck(services.readModel)]));
  mountConsole(app, options.console ?? {});
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async ({ req }) => createContext(services, req.headers.authorization) }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}${GRAPHQL_PATH}`,
    wsUrl: `ws://localhost:${port}${GRAPHQL_PATH}`,
    port,
    async stop() {
      await apollo.stop();
      const deadline = Date.now() + STOP_GRACE_MS;
      while (running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
