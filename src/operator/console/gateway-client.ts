import { createClient as createWsClient } from 'graphql-ws';
import { cacheExchange, Client, fetchExchange, subscriptionExchange } from 'urql';

/** The gateway's GraphQL endpoint, on the origin that served the console (HTTP and graphql-ws). */
const GRAPHQL_PATH = '/graphql';

/**
 * A GraphQL client for one signed-in token: queries and mutations over HTTP, subscriptions over
 * graphql-ws on the same path, both with the token as the gateway expects it.
 */
export function createGatewayClient(token: string): { client: Client; dispose: () => void } {
  const authorization = `Bearer ${token}`;
  const ws = createWsClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`,
    connectionParams: { authorization },
    lazy: true,
    retryAttempts: 5,
  });
  const client = new Client({
    url: GRAPHQL_PATH,
    requestPolicy: 'cache-and-network',
    // POST always: the gateway's CSRF protection refuses GET requests without a preflight header.
    preferGetMethod: false,
    fetchOptions: { headers: { authorization } },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
