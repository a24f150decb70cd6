import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { buildGatewaySchema, printGatewaySchema } from '../src/server/schema';
import { CustomerNumbersDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** A second subgraph, as a company's supergraph might have: it adds a loyalty tier to our Customer. */
const loyaltyTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Customer @key(fields: "id") {
    id: ID!
    loyaltyTier: String!
  }
`);

const loyaltyResolvers = {
  Customer: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    loyaltyTier: (customer: { id: string }) => (customer.id.length % 2 === 0 ? 'GOLD' : 'SILVER'),
  },
};

describe('the schema is a Federation 2 subgraph', () => {
  let gateway: TestGateway;
  let loyalty: ApolloServer;
  let loyaltyUrl: string;

  before(async () => {
    gateway = await startTestGateway({ label: 'federation', customers: 40 });
    loyalty = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: loyaltyTypeDefs, resolvers: loyaltyResolvers }]) });
    ({ url: loyaltyUrl } = await startStandaloneServer(loyalty, { listen: { port: 0, host: '127.0.0.1' } }));
  });
  after(async () => {
    await loyalty?.stop();
    await gateway?.close();
  });

  it('composes with a subgraph that extends Customer, without errors', async () => {
    const sdl = printGatewaySchema(await buildGatewaySchema());
    const result = composeServices([
      { name: 'erp-crm', typeDefs: parse(sdl), url: gateway.url },
      { name: 'loyalty', typeDefs: loyaltyTypeDefs, url: loyaltyUrl },
    ]);
    assert.deepEqual(result.errors ?? [], []);
    assert.match(result.supergraphSdl ?? '', /loyaltyTier/);
  });

  it('answers a query through @apollo/gateway with fields from both subgraphs', async () => {
    const viewer = gateway.tokens.viewer;
    const router = new ApolloGateway({
      supergraphSdl: new IntrospectAndCompose({
        subgraphs: [
          { name: 'erp-crm', url: gateway.url },
          { name: 'loyalty', url: loyaltyUrl },
        ],
        introspectionHeaders: { authorization: `Bearer ${viewer}` },
      }),
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest: ({ request }) => request.http?.headers.set('authorization', `Bearer ${viewer}`),
        }),
    });
    const server = new ApolloServer({ gateway: router });
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ customers(first: 5) { edges { node { id name syncState erp { no } loyaltyTier } } } }' }),
      });
      const body = (await response.json()) as {
        data?: { customers: { edges: Array<{ node: { id: string; name: string; loyaltyTier: string; erp: { no: string } | null } }> } };
        errors?: unknown;
      };
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      const nodes = body.data!.customers.edges.map((edge) => edge.node);
      assert.equal(nodes.length, 5);
      const direct = await gateway.request(CustomerNumbersDocument, { first: 5 });
      assert.deepEqual(
        nodes.map((node) => node.name),
        direct.data!.customers.edges.map((edge) => edge.node.name),
      );
      for (const node of nodes) assert.equal(node.loyaltyTier, node.id.length % 2 === 0 ? 'GOLD' : 'SILVER');
    } finally {
      await server.stop();
    }
  });
});
