import path from 'node:path';
import type { StoreName } from '../db/data-sources';
import { DEFAULT_LOG_BUFFER_BYTES, LOG_LEVELS, type LogLevel } from '../observability/logger';
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
  /** How often a mirror of a real product reads the product's change feed. */
  readonly mirrorPollMs: number;
  readonly auth: AuthConfig;
  readonly limits: EdgeLimits;
  readonly logLevel: LogLevel;
  /** Bytes of log lines a stalled log reader may leave waiting in the process before operation lines are dropped. */
  readonly logBufferBytes: number;
  /** How long SIGTERM lets requests under way finish before their connections are closed. */
  readonly shutdownDrainMs: number;
  readonly databaseConnect: DatabaseConnectConfig;
}

/** How the stores are reached at start-up. */
export interface DatabaseConnectConfig {
  /** Per attempt: a server that accepts TCP and never answers is given up on after this. */
  readonly timeoutMs: number;
  /** Attempts before start-up fails with a message naming the store and the variable. */
  readonly attempts: number;
  /** The variable each store's URL came from. */
  readonly variables: Readonly<Record<StoreName, string>>;
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

/** What a bearer token must carry besides a valid HS256 signature. */
export interface AuthConfig {
  /** Checked against the token's `iss` when set. */
  readonly issuer: string | null;
  /** Checked against the token's `aud` when set. */
  readonly audience: string | null;
  /** The longest `exp - iat` accepted; a token without `exp` is refused. */
  readonly maxTokenLifetimeSeconds: number;
}

/** What one client and one operation may ask of the server; checked before anything runs. */
export interface EdgeLimits {
  readonly maxBodyBytes: number;
  readonly maxTokens: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  /** Estimated fields resolved; a page's `first` multiplies its subtree. */
  readonly maxCost: number;
  readonly queryTimeoutMs: number;
  readonly mutationTimeoutMs: number;
  readonly wsMaxPayloadBytes: number;
  readonly wsMaxConnectionsPerClient: number;
  readonly wsMaxSubscriptionsPerConnection: number;
  /** Acknowledge graphql-ws sockets without a token (their operations then answer UNAUTHENTICATED). */
  readonly wsAllowAnonymous: boolean;
}

export const DEFAULT_EDGE_LIMITS: EdgeLimits = {
  maxBodyBytes: 256 * 1024,
  maxTokens: 3_000,
  maxDepth: 12,
  maxAliases: 20,
  maxDirectives: 20,
  maxCost: 100_000,
  queryTimeoutMs: 30_000,
  mutationTimeoutMs: 300_000,
  wsMaxPayloadBytes: 256 * 1024,
  wsMaxConnectionsPerClient: 100,
  wsMaxSubscriptionsPerConnection: 20,
  wsAllowAnonymous: false,
};

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

function logLevel(env: Env): LogLevel {
  const raw = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  return raw as LogLevel;
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
        : {
            kind: 'business-central',
            apiUrl: httpUrl(env, 'BC_API_URL', true)!,
            companyId: guid(env, 'BC_COMPANY_ID'),
            app: entraApp(env, 'BC'),
            notificationUrl: httpUrl(env, 'BC_NOTIFICATION_URL', false),
          },
    crm: crm === 'postgres' ? { kind: 'postgres' } : { kind: 'dataverse', environmentUrl: httpUrl(env, 'DATAVERSE_URL', true)!, app: entraApp(env, 'DATAVERSE') },
  };
}

function text(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? null : raw.trim();
}

function edgeLimits(env: Env): EdgeLimits {
  const d = DEFAULT_EDGE_LIMITS;
  return {
    maxBodyBytes: integer(env, 'HTTP_MAX_BODY_BYTES', d.maxBodyBytes, 1_024, 64 * 1024 * 1024),
    maxTokens: integer(env, 'GRAPHQL_MAX_TOKENS', d.maxTokens, 100, 1_000_000),
    maxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', d.maxDepth, 2, 1_000),
    maxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', d.maxAliases, 0, 10_000),
    maxDirectives: integer(env, 'GRAPHQL_MAX_DIRECTIVES', d.maxDirectives, 0, 10_000),
    maxCost: integer(env, 'GRAPHQL_MAX_COST', d.maxCost, 10, 1_000_000_000),
    queryTimeoutMs: integer(env, 'QUERY_TIMEOUT_MS', d.queryTimeoutMs, 100, 3_600_000),
    mutationTimeoutMs: integer(env, 'MUTATION_TIMEOUT_MS', d.mutationTimeoutMs, 100, 24 * 3_600_000),
    wsMaxPayloadBytes: integer(env, 'WS_MAX_PAYLOAD_BYTES', d.wsMaxPayloadBytes, 1_024, 64 * 1024 * 1024),
    wsMaxConnectionsPerClient: integer(env, 'WS_MAX_CONNECTIONS_PER_CLIENT', d.wsMaxConnectionsPerClient, 1, 1_000_000),
    wsMaxSubscriptionsPerConnection: integer(env, 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION', d.wsMaxSubscriptionsPerConnection, 1, 100_000),
    wsAllowAnonymous: flag(env, 'WS_ALLOW_ANONYMOUS'),
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
    logLevel: logLevel(env),
    logBufferBytes: integer(env, 'LOG_BUFFER_BYTES', DEFAULT_LOG_BUFFER_BYTES, 4_096, 1_073_741_824),
    shutdownDrainMs: integer(env, 'SHUTDOWN_DRAIN_SECONDS', 30, 0, 3_600) * 1_000,
    databaseConnect: {
      timeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_SECONDS', 10, 1, 600) * 1_000,
      attempts: integer(env, 'DATABASE_CONNECT_ATTEMPTS', 5, 1, 100),
      variables: {
        integration: 'DATABASE_URL',
        erp: erpDatabaseUrl ? 'ERP_DATABASE_URL' : 'DATABASE_URL',
        crm: crmDatabaseUrl ? 'CRM_DATABASE_URL' : 'DATABASE_URL',
      },
    },
    systems: systems(env),
    mirrorPollMs: integer(env, 'MIRROR_POLL_SECONDS', 5, 1, 3_600) * 1_000,
    auth: {
      issuer: text(env, 'AUTH_ISSUER'),
      audience: text(env, 'AUTH_AUDIENCE'),
      maxTokenLifetimeSeconds: integer(env, 'AUTH_MAX_TOKEN_LIFETIME_SECONDS', 24 * 3600, 60, 366 * 24 * 3600),
    },
    limits: edgeLimits(env),
  };
}
