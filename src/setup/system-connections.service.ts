import { registerEnumType } from 'type-graphql';
import type { CrmSystemConfig, EntraApp, ErpSystemConfig } from '../config/config';
import type { SystemName } from '../connectors/system-connector';
import { WebApiError } from '../connectors/web-api/web-api-error';
import type { Stores } from '../db/data-sources';
import type { ConnectedSystem } from '../mirrors/connected-systems';
import { BUSINESS_CENTRAL_TABLES, DATAVERSE_TABLES } from '../mirrors/product-tables';

/** What a system is: the gateway's own PostgreSQL store, or a real product it mirrors. */
export enum SystemKind {
  POSTGRES = 'POSTGRES',
  BUSINESS_CENTRAL = 'BUSINESS_CENTRAL',
  DATAVERSE = 'DATAVERSE',
}

registerEnumType(SystemKind, {
  name: 'SystemKind',
  description: "POSTGRES: the gateway's own store is the system (the embedded demo); otherwise a real product the store mirrors.",
});

/** Why a connection test failed, for a client to branch on. */
export enum ConnectionFailure {
  /** No answer: refused, dropped or timed out. */
  UNREACHABLE = 'UNREACHABLE',
  /** The identity platform refused the app's credentials. */
  AUTHENTICATION = 'AUTHENTICATION',
  /** Signed in, but the product refused the read (permissions, a missing company or entity set). */
  PERMISSION = 'PERMISSION',
}

registerEnumType(ConnectionFailure, { name: 'ConnectionFailure', description: 'Why a system could not be reached, signed in to or read.' });

export interface MirrorTableState {
  readonly table: string;
  readonly entitySet: string;
  readonly caughtUpAt: Date | null;
  /** Seconds since the mirror last held every change the product had made; null before the initial load ends. */
  readonly lagSeconds: number | null;
  readonly recordsApplied: number;
}

export interface SystemConnectionView {
  readonly system: SystemName;
  readonly kind: SystemKind;
  readonly url: string | null;
  readonly tenantId: string | null;
  readonly clientId: string | null;
  /** `***` when a secret is configured: the secret itself never leaves the Secret holding it. */
  readonly clientSecret: string | null;
  readonly mirrorTables: readonly MirrorTableState[];
}

export interface ConnectionTestResult {
  readonly system: SystemName;
  readonly kind: SystemKind;
  readonly reachable: boolean;
  readonly tokenObtained: boolean;
  readonly identity: string | null;
  readonly readPermission: boolean;
  readonly detail: string;
  readonly failure: ConnectionFailure | null;
}

function kindOf(config: ErpSystemConfig | CrmSystemConfig): SystemKind {
  return config.kind === 'business-central' ? SystemKind.BUSINESS_CENTRAL : config.kind === 'dataverse' ? SystemKind.DATAVERSE : SystemKind.POSTGRES;
}

function appOf(config: ErpSystemConfig | CrmSystemConfig): { url: string; app: EntraApp } | null {
  if (config.kind === 'business-central') return { url: config.apiUrl, app: config.app };
  if (config.kind === 'dataverse') return { url: config.environmentUrl, app: config.app };
  return null;
}

function failureOf(error: unknown): { failure: ConnectionFailure; tokenObtained: boolean; reachable: boolean } {
  if (error instanceof WebApiError && error.kind === 'authentication') return { failure: ConnectionFailure.AUTHENTICATION, tokenObtained: false, reachable: true };
  if (error instanceof WebApiError && error.kind !== 'connection') return { failure: ConnectionFailure.PERMISSION, tokenObtained: true, reachable: true };
  return { failure: ConnectionFailure.UNREACHABLE, tokenObtained: false, reachable: false };
}

/** The systems the gateway is connected to, as an administrator checks them: configuration (secrets masked), mirrors' lag, and a live test. */
export class SystemConnectionsService {
  constructor(
    private readonly systems: readonly ConnectedSystem[],
    private readonly stores: Stores,
  ) {}

  async describe(): Promise<SystemConnectionView[]> {
    return Promise.all(
      this.systems.map(async ({ system, config, mirror }) => {
        const reached = appOf(config);
        const positions = mirror ? await mirror.replicator.positions() : [];
        const tables = config.kind === 'business-central' ? BUSINESS_CENTRAL_TABLES : config.kind === 'dataverse' ? DATAVERSE_TABLES : [];
        const now = Date.now();
        return {
          system,
          kind: kindOf(config),
          url: reached?.url ?? null,
          tenantId: reached?.app.tenantId ?? null,
          clientId: reached?.app.clientId ?? null,
          clientSecret: reached ? String(reached.app.clientSecret) : null,
          mirrorTables: tables.map((map) => {
            const position = positions.find((p) => p.table === map.table);
            const caughtUpAt = position?.caughtUpAt ?? null;
            return {
              table: map.table,
              entitySet: map.entitySet,
              caughtUpAt,
              lagSeconds: caughtUpAt ? Math.max(0, (now - caughtUpAt.getTime()) / 1000) : null,
              recordsApplied: position?.recordsApplied ?? 0,
            };
          }),
        };
      }),
    );
  }

  /** Signs in to each product and reads one row of its first mirrored entity set; a PostgreSQL store is read once. Never throws for a system that is down. */
  async test(): Promise<ConnectionTestResult[]> {
    return Promise.all(this.systems.map((connected) => this.testOne(connected)));
  }

  private async testOne({ system, config, mirror }: ConnectedSystem): Promise<ConnectionTestResult> {
    const kind = kindOf(config);
    if (!mirror) {
      try {
        await this.stores[system].query('SELECT 1');
        return {
          system,
          kind,
          reachable: true,
          tokenObtained: false,
          identity: 'the gateway’s PostgreSQL store',
          readPermission: true,
          detail: 'the store answered',
          failure: null,
        };
      } catch (error) {
        return {
          system,
          kind,
          reachable: false,
          tokenObtained: false,
          identity: null,
          readPermission: false,
          detail: (error as Error).message,
          failure: ConnectionFailure.UNREACHABLE,
        };
      }
    }
    const map = (config.kind === 'business-central' ? BUSINESS_CENTRAL_TABLES : DATAVERSE_TABLES)[0]!;
    try {
      const probe = await mirror.connector.product.probe(map);
      return { system, kind, reachable: true, tokenObtained: true, identity: probe.identity, readPermission: true, detail: probe.readEntitySet, failure: null };
    } catch (error) {
      return { system, kind, identity: null, readPermission: false, detail: (error as Error).message, ...failureOf(error) };
    }
  }
}
