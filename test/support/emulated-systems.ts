import { BusinessCentralEmulator } from '../../emulators/business-central/business-central.emulator';
import { DataverseEmulator } from '../../emulators/dataverse/dataverse.emulator';
import type { FaultPlan } from '../../emulators/shared/faults';
import type { RegisteredClient } from '../../emulators/shared/identity';
import type { ServerLimits } from '../../emulators/shared/server-limits';
import type { BudgetLimits } from '../../src/connectors/web-api/request-budget';
import { BusinessCentralClient } from '../../src/connectors/business-central/business-central.client';
import { CrmConnector } from '../../src/connectors/crm.connector';
import { DataverseClient } from '../../src/connectors/dataverse/dataverse.client';
import { ErpConnector } from '../../src/connectors/erp.connector';
import type { Stores } from '../../src/db/data-sources';
import { businessCentralMirror, dataverseMirror, type Mirror } from '../../src/mirrors/mirrors.factory';
import { connectSystems, type ConnectedSystems } from '../../src/mirrors/connected-systems';
import type { EntraApp, SystemsConfig } from '../../src/config/config';
import { Secret } from '../../src/config/secret';
import { seedProducts } from '../../src/demo/seed-products';
import { credentialsFor, emulatorDatabase, ROOMY_BUDGET, testAppRegistration } from './emulated-products';
import { startTestGateway, type TestGateway } from './test-gateway';

export interface EmulatedSystem<E> {
  readonly emulator: E;
  readonly mirror: Mirror;
  readonly app: RegisteredClient;
  stop(): Promise<void>;
}

const failLoudly = (error: unknown) => {
  throw error;
};

function running<E extends { stop(): Promise<void> }>(emulator: E, mirror: Mirror, app: RegisteredClient, database: { drop(): Promise<void> }): EmulatedSystem<E> {
  return {
    emulator,
    mirror,
    app,
    stop: async () => {
      await mirror.replicator.stop();
      await mirror.turns.close();
      await emulator.stop();
      await database.drop();
    },
  };
}

/** A Business Central emulator over `databaseUrl`, its app registration, and a client of it with a roomy budget. */
export async function businessCentralWithClient(databaseUrl: string) {
  const app = testAppRegistration();
  const emulator = await BusinessCentralEmulator.start({ databaseUrl, clients: [app], tenantId: app.tenantId });
  const client = new BusinessCentralClient({
    apiUrl: emulator.apiUrl,
    companyId: emulator.companyId,
    credentials: credentialsFor(app, emulator.url),
    limits: ROOMY_BUDGET,
    backoffMs: 5,
  });
  return { app, emulator, client };
}

/** A Dataverse emulator over `databaseUrl`, its app registration (acting as `userId` when given), and a client of it with a roomy budget. */
export async function dataverseWithClient(databaseUrl: string, userId?: string) {
  const app = { ...testAppRegistration(), ...(userId ? { userId } : {}) };
  const emulator = await DataverseEmulator.start({ databaseUrl, clients: [app] });
  const client = new DataverseClient({ environmentUrl: emulator.url, credentials: credentialsFor(app, emulator.url), limits: ROOMY_BUDGET, backoffMs: 5 });
  return { app, emulator, client };
}

/** A Business Central emulator of the test's own, and a mirrored ERP connector over `stores.erp` speaking to it. */
export async function emulatedBusinessCentral(label: string, stores: Stores): Promise<EmulatedSystem<BusinessCentralEmulator>> {
  const database = await emulatorDatabase(`${label}_bc`);
  const { app, emulator, client } = await businessCentralWithClient(database.url);
  return running(emulator, businessCentralMirror(new ErpConnector(stores.erp), stores.erp, client, failLoudly), app, database);
}

/** A Dataverse emulator of the test's own, and a mirrored CRM connector over `stores.crm` speaking to it; the app user is `userId` when given. */
export async function emulatedDataverse(label: string, stores: Stores, userId?: string): Promise<EmulatedSystem<DataverseEmulator>> {
  const database = await emulatorDatabase(`${label}_dv`);
  const { app, emulator, client } = await dataverseWithClient(database.url, userId);
  return running(emulator, dataverseMirror(new CrmConnector(stores.crm), stores.crm, client, failLoudly), app, database);
}

/** Both emulators, the configuration that points the gateway at them, and clients with roomy budgets. */
export interface EmulatedProducts {
  readonly businessCentral: BusinessCentralEmulator;
  readonly dataverse: DataverseEmulator;
  readonly config: SystemsConfig;
  /** The clients the gateway's connectors use (their transport counts requests, refusals and faults). */
  readonly clients: { readonly businessCentral: BusinessCentralClient; readonly dataverse: DataverseClient };
  /** The app registrations the gateway signs in with. */
  readonly apps: { readonly businessCentral: RegisteredClient; readonly dataverse: RegisteredClient };
  /** The emulators' databases (each keeps its rows in a schema of its own: business_central, dataverse). */
  readonly databaseUrls: { readonly businessCentral: string; readonly dataverse: string };
  /** What createServices builds the gateway's connectors with. */
  connect(stores: Stores): ConnectedSystems;
  /** Copies the stores' demo company into both emulators. */
  seedFrom(stores: Stores): Promise<void>;
  /** Someone other than the gateway working in Business Central through its API (an app registration of their own). */
  businessCentralUser(): BusinessCentralClient;
  stop(): Promise<void>;
}

function entraApp(app: RegisteredClient, authorityUrl: string): EntraApp {
  return { authorityUrl, tenantId: app.tenantId, clientId: app.clientId, clientSecret: new Secret(app.clientSecret) };
}

/**
 * Starts a Business Central and a Dataverse emulator on databases of their own; with
 * `notificationUrl`, the gateway subscribes it to Business Central's webhooks, sent `webhookDelayMs`
 * after a change.
 */
export async function emulatedProducts(
  label: string,
  options: { notificationUrl?: string; webhookDelayMs?: number; serverLimits?: ServerLimits; clientLimits?: BudgetLimits; faults?: FaultPlan } = {},
): Promise<EmulatedProducts> {
  const bcDatabase = await emulatorDatabase(`${label}_bc`);
  const dvDatabase = await emulatorDatabase(`${label}_dv`);
  const bcApp = testAppRegistration();
  const dvApp = testAppRegistration();
  const businessCentral = await BusinessCentralEmulator.start({
    databaseUrl: bcDatabase.url,
    clients: [bcApp],
    tenantId: bcApp.tenantId,
    webhooks: { delayMs: options.webhookDelayMs ?? 100 },
    limits: options.serverLimits,
    faults: options.faults,
  });
  const dataverse = await DataverseEmulator.start({ databaseUrl: dvDatabase.url, clients: [dvApp], limits: options.serverLimits, faults: options.faults });
  const config: SystemsConfig = {
    erp: {
      kind: 'business-central',
      apiUrl: businessCentral.apiUrl,
      companyId: businessCentral.companyId,
      app: entraApp(bcApp, businessCentral.url),
      notificationUrl: options.notificationUrl ?? null,
    },
    crm: { kind: 'dataverse', environmentUrl: dataverse.url, app: entraApp(dvApp, dataverse.url) },
  };
  const limits = options.clientLimits ?? ROOMY_BUDGET;
  const clients = {
    businessCentral: new BusinessCentralClient({
      apiUrl: businessCentral.apiUrl,
      companyId: businessCentral.companyId,
      credentials: entraApp(bcApp, businessCentral.url),
      limits,
      backoffMs: 5,
    }),
    dataverse: new DataverseClient({ environmentUrl: dataverse.url, credentials: entraApp(dvApp, dataverse.url), limits, backoffMs: 5 }),
  };
  let connected: ConnectedSystems | null = null;
  return {
    businessCentral,
    dataverse,
    config,
    clients,
    apps: { businessCentral: bcApp, dataverse: dvApp },
    databaseUrls: { businessCentral: bcDatabase.url, dataverse: dvDatabase.url },
    connect: (stores) => (connected = connectSystems(stores, config, clients)),
    seedFrom: (stores) =>
      seedProducts({ erp: new ErpConnector(stores.erp), crm: new CrmConnector(stores.crm) }, { businessCentral: businessCentral.store, dataverse: dataverse.store }),
    businessCentralUser: () => {
      const someone = testAppRegistration();
      businessCentral.identity.register(someone);
      return new BusinessCentralClient({
        apiUrl: businessCentral.apiUrl,
        companyId: businessCentral.companyId,
        credentials: entraApp(someone, businessCentral.url),
        limits: ROOMY_BUDGET,
      });
    },
    stop: async () => {
      await connected?.stopReplication();
      await Promise.all([businessCentral.stop(), dataverse.stop()]);
      await Promise.all([bcDatabase.drop(), dvDatabase.drop()]);
    },
  };
}

/** What a suite runs over: the PostgreSQL stores as the systems, then mirrors of the emulated Business Central and Dataverse. */
export const SYSTEMS = [
  { title: '', products: false },
  { title: ' through the Business Central and Dataverse emulators', products: true },
] as const;

/** A test gateway over the stores, or over mirrors of emulated products seeded with its demo company; close() stops the emulators too. */
export async function startGatewayOver(products: boolean, options: Parameters<typeof startTestGateway>[0]): Promise<TestGateway> {
  const emulated = products ? await emulatedProducts(options.label) : undefined;
  const gateway = await startTestGateway({ ...options, label: products ? `${options.label}_emulated` : options.label, products: emulated });
  return {
    ...gateway,
    close: async () => {
      await gateway.close();
      await emulated?.stop();
    },
  };
}
