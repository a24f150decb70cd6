import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { Role } from '../../src/auth/role';
import type { TokenPolicy } from '../../src/auth/tokens';
import type { EdgeLimits } from '../../src/config/config';
import { closeStores, openStores, type Stores } from '../../src/db/data-sources';
import { seedDemoCompany } from '../../src/demo/demo-company.generator';
import { installStandardMappings } from '../../src/mappings/mapping-installer';
import type { ConnectedSystems } from '../../src/mirrors/connected-systems';
import { createServices, startWorker } from '../../src/server/bootstrap';
import { startGateway, type RunningGateway } from '../../src/server/gateway';
import { buildGatewaySchema } from '../../src/server/schema';
import type { GatewayServices } from '../../src/server/services';
import { databaseUrl, withAdminClient } from './database-server';
import { setLogLevel, type LogLevel } from '../../src/observability/logger';

// A line per operation would bury the test runner's report; LOG_LEVEL=info shows them.
setLogLevel((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'warn');

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

export interface TestGateway extends RunningGateway {
  readonly services: GatewayServices;
  readonly stores: Stores;
  readonly tokens: Readonly<Record<Role, string>>;
  /** The HS256 secret its tokens are signed with, for tests that make unusual tokens. */
  readonly secret: string;
  /** Statements sent to all three stores so far. */
  statements(): number;
  request<T, V>(document: TypedDocumentNode<T, V>, variables?: V, token?: string | null): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

let schema: Promise<GraphQLSchema> | null = null;

/** The gateway's schema, built once per test process. */
export function gatewaySchema(): Promise<GraphQLSchema> {
  schema ??= buildGatewaySchema();
  return schema;
}

/** A worker that reacts quickly, so tests wait for work rather than for timers. */
export const TEST_WORKER = { pollingIntervalSeconds: 1, changeWindowMs: 50, housekeepingMs: 500, fieldHistoryRetentionDays: 365 } as const;

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_SERVER;
  if (!url) throw new Error('Run tests with `npm test`, which finds or starts a PostgreSQL server');
  return url;
}

/** A database of its own for one test file, dropped by the returned function. */
export async function createTestDatabase(label: string, template?: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `gwtest_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const server = serverUrl();
  await withAdminClient(server, (client) => client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return {
    name,
    url: databaseUrl(server, name),
    drop: () => withAdminClient(server, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

/**
 * A whole gateway on databases of its own, seeded with a small demo company, on a free port:
 * tests talk to it over real HTTP and WebSocket connections.
 */
export async function startTestGateway(options: {
  label: string;
  customers?: number;
  separateDatabases?: boolean;
  production?: boolean;
  /** Runs a background worker in the gateway's process, as `npm start` does. */
  worker?: boolean;
  syncChunkSize?: number;
  /** The console offers the tokens on its sign-in page, as in the demo. */
  demoTokens?: boolean;
  limits?: Partial<EdgeLimits>;
  tokenPolicy?: TokenPolicy;
  /** How long stopping waits for requests under way (the gateway's default otherwise). */
  drainMs?: number;
  /** The gateway's port (a free one when left out). */
  port?: number;
  /** How long the read model waits after a change before refreshing the index (the gateway's default otherwise). */
  readModelWindowMs?: number;
  /** Real products the stores mirror (emulated), seeded from the demo company before the services start. */
  products?: { connect(stores: Stores): ConnectedSystems; seedFrom(stores: Stores): Promise<void> };
}): Promise<TestGateway> {
  const integrationDb = await createTestDatabase(`${options.label}_int`);
  const erpDb = options.separateDatabases ? await createTestDatabase(`${options.label}_erp`) : integrationDb;
  const crmDb = options.separateDatabases ? await createTestDatabase(`${options.label}_crm`) : integrationDb;
  const stores = await openStores({ erp: erpDb.url, crm: crmDb.url, integration: integrationDb.url }, { poolSize: 4 });
  await installStandardMappings(stores.integration);
  if ((options.customers ?? 0) > 0) await seedDemoCompany(stores, { customers: options.customers!, seed: 7 });
  const secret = randomBytes(32).toString('hex');
  await options.products?.seedFrom(stores);
  const services = createServices(stores, secret, {
    runsWorker: options.worker ?? false,
    syncChunkSize: options.syncChunkSize,
    tokenPolicy: options.tokenPolicy,
    connectedSystems: options.products?.connect,
    readModelWindowMs: options.readModelWindowMs,
  });
  // The mirrors' first load, before the index is built: tests start from mirrors that have caught up.
  for (const { mirror } of services.systems.systems) await mirror?.replicator.catchUp();
  await services.readModel.start();
  // Tests start from a complete index, as a load balancer would wait for /readyz.
  await services.readModel.whenComplete();
  const worker = options.worker ? await startWorker(services, TEST_WORKER) : null;
  const tokens = services.tokens.issueOnePerRole('test');
  const gateway = await startGateway({
    schema: await gatewaySchema(),
    services,
    port: options.port ?? 0,
    host: '127.0.0.1',
    production: options.production ?? false,
    console: options.demoTokens ? { demoTokens: tokens } : {},
    limits: options.limits,
    drainMs: options.drainMs,
  });
  return {
    ...gateway,
    services,
    stores,
    tokens,
    secret,
    statements: () => stores.counters.erp.statements + stores.counters.crm.statements + stores.counters.integration.statements,
    async request<T, V>(document: TypedDocumentNode<T, V>, variables?: V, token: string | null = tokens.viewer) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return (await response.json()) as GraphQLResult<T>;
    },
    async close() {
      await gateway.stop();
      await worker?.stop();
      await services.close();
      await closeStores(stores);
      const dropped = new Set([integrationDb, erpDb, crmDb]);
      for (const db of dropped) await db.drop();
    },
  };
}
