import path from 'node:path';
import { Secret } from './secret';

export type NodeEnv = 'development' | 'production' | 'test';

/** Everything the gateway reads from its environment, parsed and checked once at start-up. */
export interface GatewayConfig {
  readonly port: number;
  readonly nodeEnv: NodeEnv;
  /** Where the integration store lives; null starts an embedded PostgreSQL. */
  readonly databaseUrl: string | null;
  /** The ERP's and the CRM's databases; default: databaseUrl (schemas erp and crm). */
  readonly erpDatabaseUrl: string | null;
  readonly crmDatabaseUrl: string | null;
  /** HS256 secret for bearer tokens; null makes the server generate one for the session. */
  readonly authJwtSecret: string | null;
  readonly embeddedPostgresDir: string;
  readonly embeddedPostgresPort: number | null;
  /** Customers the demo generator creates when it seeds an empty database; 0 seeds nothing. */
  readonly demoCustomers: number;
  readonly logSql: boolean;
  /** Federated tracing (ftv1) for routers reporting to Apollo Studio. */
  readonly federatedTracing: boolean;
  /** How long the read model gathers change notifications of a mapping before it refreshes its index. */
  readonly readModelWindowMs: number;
  readonly worker: WorkerConfig;
  /** Which ERP and CRM the gateway talks to; `postgres` keeps the stores as the systems themselves. */
  readonly systems: SystemsConfig;
}

/** A Microsoft Entra app registration with access to one product's API. */
export interface EntraApp {
  readonly authorityUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
}

export type ErpSystemConfig =
  | { readonly kind: 'postgres' }
  | { readonly kind: 'business-central'; readonly apiUrl: string; readonly companyId: string; readonly app: EntraApp; readonly notificationUrl: string | null };

export type CrmSystemConfig = { readonly kind: 'postgres' } | { readonly kind: 'dataverse'; readonly environmentUrl: string; readonly app: EntraApp };

export interface SystemsConfig {
  readonly erp: ErpSystemConfig;
  readonly crm: CrmSystemConfig;
}

/** The background worker: in the gateway process (the default) and in `npm run worker` processes. */
export interface WorkerConfig {
  /** Whether the gateway process runs a worker too; stand-alone workers make it optional. */
  readonly inProcess: boolean;
  readonly pollingIntervalSeconds: number;
  readonly changeWindowMs: number;
  readonly housekeepingMs: number;
  /** Records per chunk: what one transaction writes, and what a crash can make a job write again. */
  readonly syncChunkSize: number;
  /** Days field lineage is kept (the workers' housekeeping forgets older values); 0 keeps it forever. */
  readonly fieldHistoryRetentionDays: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function postgresUrl(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must be a postgres:// URL, got protocol "${url.protocol}"`);
  }
  return raw;
}

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function httpUrl(env: Env, name: string, required: boolean): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (required) throw new ConfigError(`${name} is required`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${name} must be an http(s) URL, got protocol "${url.protocol}"`);
  return raw.replace(/\/$/, '');
}

function required(env: Env, name: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') throw new ConfigError(`${name} is required`);
  return raw;
}

function guid(env: Env, name: string): string {
  const raw = required(env, name);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)) throw new ConfigError(`${name} must be a GUID`);
  return raw.toLowerCase();
}

/** `{PREFIX}_TENANT_ID`, `_CLIENT_ID`, `_CLIENT_SECRET`, `_AUTHORITY_URL`; the secret never leaves a Secret. */
function entraApp(env: Env, prefix: string): EntraApp {
  return {
    authorityUrl: httpUrl(env, `${prefix}_AUTHORITY_URL`, false) ?? 'https://login.microsoftonline.com',
    tenantId: required(env, `${prefix}_TENANT_ID`),
    clientId: required(env, `${prefix}_CLIENT_ID`),
    clientSecret: new Secret(required(env, `${prefix}_CLIENT_SECRET`)),
  };
}

function systems(env: Env): SystemsConfig {
  const erp = env.ERP_SYSTEM || 'postgres';
  const crm = env.CRM_SYSTEM || 'postgres';
  if (erp !== 'postgres' && erp !== 'business-central') throw new ConfigError(`ERP_SYSTEM must be postgres or business-central, got "${erp}"`);
  if (crm !== 'postgres' && crm !== 'dataverse') throw new ConfigError(`CRM_SYSTEM must be postgres or dataverse, got "${crm}"`);
  return {
    erp:
      erp === 'postgres'
        ? { kind: 'postgres' }
        : { kind: 'business-central', apiUrl: httpUrl(env, 'BC_API_URL', true)!, companyId: guid(env, 'BC_COMPANY_ID'), app: entraApp(env, 'BC'), notificationUrl: httpUrl(env, 'BC_NOTIFICATION_URL', false) },
    crm: crm === 'postgres' ? { kind: 'postgres' } : { kind: 'dataverse', environmentUrl: httpUrl(env, 'DATAVERSE_URL', true)!, app: entraApp(env, 'DATAVERSE') },
  };
}

/** `servesRequests: false` for a stand-alone worker, which checks no tokens and needs no secret. */
export function loadConfig(env: Env = process.env, options: { servesRequests?: boolean } = {}): GatewayConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'production' && nodeEnv !== 'test') {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const secret = env.AUTH_JWT_SECRET || null;
  if (secret !== null && secret.length < 32) {
    throw new ConfigError('AUTH_JWT_SECRET must be at least 32 characters (HS256 needs a 256-bit key)');
  }
  if (secret === null && nodeEnv === 'production' && options.servesRequests !== false) {
    throw new ConfigError('AUTH_JWT_SECRET is required when NODE_ENV=production');
  }
  const databaseUrl = postgresUrl(env, 'DATABASE_URL');
  const erpDatabaseUrl = postgresUrl(env, 'ERP_DATABASE_URL');
  const crmDatabaseUrl = postgresUrl(env, 'CRM_DATABASE_URL');
  if (databaseUrl === null && (erpDatabaseUrl !== null || crmDatabaseUrl !== null)) {
    throw new ConfigError('ERP_DATABASE_URL and CRM_DATABASE_URL need DATABASE_URL for the integration store');
  }
  const embeddedPort = integer(env, 'EMBEDDED_POSTGRES_PORT', 0, 0, 65535);
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    nodeEnv,
    databaseUrl,
    erpDatabaseUrl: erpDatabaseUrl ?? databaseUrl,
    crmDatabaseUrl: crmDatabaseUrl ?? databaseUrl,
    authJwtSecret: secret,
    embeddedPostgresDir: path.resolve(env.EMBEDDED_POSTGRES_DIR ?? path.join(process.cwd(), '.data', 'postgres')),
    embeddedPostgresPort: embeddedPort === 0 ? null : embeddedPort,
    demoCustomers: integer(env, 'DEMO_CUSTOMERS', 300, 0, 10_000_000),
    logSql: flag(env, 'LOG_SQL'),
    federatedTracing: flag(env, 'FEDERATED_TRACING'),
    readModelWindowMs: integer(env, 'READ_MODEL_WINDOW_MS', 20, 0, 10_000),
    worker: {
      inProcess: env.IN_PROCESS_WORKER === undefined || env.IN_PROCESS_WORKER === '' ? true : flag(env, 'IN_PROCESS_WORKER'),
      pollingIntervalSeconds: integer(env, 'WORKER_POLL_SECONDS', 2, 1, 600),
      changeWindowMs: integer(env, 'CHANGE_WINDOW_MS', 200, 0, 60_000),
      housekeepingMs: integer(env, 'WORKER_HOUSEKEEPING_MS', 5_000, 100, 3_600_000),
      syncChunkSize: integer(env, 'SYNC_CHUNK_SIZE', 2_000, 1, 100_000),
      fieldHistoryRetentionDays: integer(env, 'FIELD_HISTORY_RETENTION_DAYS', 365, 0, 36_500),
    },
    systems: systems(env),
  };
}
