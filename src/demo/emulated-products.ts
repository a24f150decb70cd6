import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BusinessCentralEmulator } from '../../emulators/business-central/business-central.emulator';
import { DataverseEmulator } from '../../emulators/dataverse/dataverse.emulator';
import type { RegisteredClient } from '../../emulators/shared/identity';

/** Both products' emulators for `npm run demo:connected`, and the environment that points the gateway at them. */
export interface DemoProducts {
  readonly businessCentral: BusinessCentralEmulator;
  readonly dataverse: DataverseEmulator;
  /** ERP_SYSTEM, CRM_SYSTEM and their variables, as an administrator would set them for the real products. */
  readonly environment: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const TENANT = 'demo';

/** The URL of database `name` on the server `serverUrl` points at, created when missing. */
async function ownDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts the Business Central and Dataverse emulators, each over a database of its own on the
 * gateway's PostgreSQL server, on fixed ports (the mirrors' feed positions name them), with an app
 * registration made up for this run.
 */
export async function startDemoProducts(serverUrl: string, ports: { businessCentral: number; dataverse: number }): Promise<DemoProducts> {
  const bcApp: RegisteredClient = { tenantId: TENANT, clientId: `gateway-bc-${randomUUID()}`, clientSecret: randomUUID(), userId: randomUUID() };
  const dvApp: RegisteredClient = { tenantId: TENANT, clientId: `gateway-dv-${randomUUID()}`, clientSecret: randomUUID(), userId: randomUUID() };
  const businessCentral = await BusinessCentralEmulator.start({
    databaseUrl: await ownDatabase(serverUrl, 'business_central_emulator'),
    clients: [bcApp],
    tenantId: TENANT,
    host: '127.0.0.1',
    port: ports.businessCentral,
  });
  const dataverse = await DataverseEmulator.start({ databaseUrl: await ownDatabase(serverUrl, 'dataverse_emulator'), clients: [dvApp], host: '127.0.0.1', port: ports.dataverse });
  return {
    businessCentral,
    dataverse,
    environment: {
      ERP_SYSTEM: 'business-central',
      BC_API_URL: businessCentral.apiUrl,
      BC_COMPANY_ID: businessCentral.companyId,
      BC_AUTHORITY_URL: businessCentral.url,
      BC_TENANT_ID: TENANT,
      BC_CLIENT_ID: bcApp.clientId,
      BC_CLIENT_SECRET: bcApp.clientSecret,
      CRM_SYSTEM: 'dataverse',
      DATAVERSE_URL: dataverse.url,
      DATAVERSE_AUTHORITY_URL: dataverse.url,
      DATAVERSE_TENANT_ID: TENANT,
      DATAVERSE_CLIENT_ID: dvApp.clientId,
      DATAVERSE_CLIENT_SECRET: dvApp.clientSecret,
    },
    stop: async () => {
      await Promise.all([businessCentral.stop(), dataverse.stop()]);
    },
  };
}
