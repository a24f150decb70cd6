import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createErrorFormatter } from '../errors/format-error';
import type { GatewayContext } from './context';
import { createContext } from './context.factory';
import type { GatewayServices } from './services';

export const GRAPHQL_PATH = '/graphql';

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
  host?: string;
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
      // Results over the socket get the same error treatment as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : result,
    },
    wsServer,
  );

  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: !production,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
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
    stop: () => apollo.stop(),
  };
}
