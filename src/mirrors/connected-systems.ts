import type { CrmSystemConfig, ErpSystemConfig, SystemsConfig } from '../config/config';
import { BusinessCentralClient } from '../connectors/business-central/business-central.client';
import { CrmConnector } from '../connectors/crm.connector';
import { DataverseClient } from '../connectors/dataverse/dataverse.client';
import { ErpConnector } from '../connectors/erp.connector';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import type { Stores } from '../db/data-sources';
import { logger } from '../observability/logger';
import { BusinessCentralWebhook } from './business-central-webhook';
import { businessCentralMirror, dataverseMirror, type Mirror } from './mirrors.factory';
import { BUSINESS_CENTRAL_TABLES } from './product-tables';

/** One system as the gateway reaches it: its configuration, and its mirror when it is a real product. */
export interface ConnectedSystem {
  readonly system: SystemName;
  readonly config: ErpSystemConfig | CrmSystemConfig;
  /** Null when the PostgreSQL store is the system itself (the embedded demo). */
  readonly mirror: Mirror | null;
}

/** Both systems' connectors, and what runs and reports their mirrors. */
export interface ConnectedSystems {
  readonly connectors: Readonly<Record<SystemName, SystemConnector>>;
  readonly systems: readonly ConnectedSystem[];
  /** Business Central's notifications, when BC_NOTIFICATION_URL is set. */
  readonly businessCentralWebhook: BusinessCentralWebhook | null;
  /** Starts each mirror's replicator, passing every `intervalMs`. */
  startReplication(intervalMs: number): void;
  stopReplication(): Promise<void>;
}

const logFailedPass = (error: unknown, table: string) => logger.warn({ err: error, table }, 'mirror pass failed; the next pass resumes from the last position');

/**
 * The connectors ERP_SYSTEM and CRM_SYSTEM ask for: the PostgreSQL stores themselves, or mirrors
 * of Business Central and Dataverse over those stores. `clients` replaces the clients built from
 * the configuration (tests tune their budgets).
 */
export function connectSystems(stores: Stores, config: SystemsConfig, clients: { businessCentral?: BusinessCentralClient; dataverse?: DataverseClient } = {}): ConnectedSystems {
  const erp = new ErpConnector(stores.erp);
  const crm = new CrmConnector(stores.crm);
  const bcClient =
    config.erp.kind === 'business-central'
      ? (clients.businessCentral ?? new BusinessCentralClient({ apiUrl: config.erp.apiUrl, companyId: config.erp.companyId, credentials: config.erp.app }))
      : null;
  const erpMirror = bcClient ? businessCentralMirror(erp, stores.erp, bcClient, logFailedPass) : null;
  const webhook =
    bcClient && erpMirror && config.erp.kind === 'business-central' && config.erp.notificationUrl
      ? new BusinessCentralWebhook(bcClient, erpMirror.replicator, BUSINESS_CENTRAL_TABLES, config.erp.notificationUrl, config.erp.app.clientSecret, (error) =>
          logger.warn({ err: error }, 'Business Central subscriptions could not be kept; the mirror polls meanwhile'),
        )
      : null;
  const crmMirror =
    config.crm.kind === 'dataverse'
      ? dataverseMirror(crm, stores.crm, clients.dataverse ?? new DataverseClient({ environmentUrl: config.crm.environmentUrl, credentials: config.crm.app }), logFailedPass)
      : null;
  const mirrors = [erpMirror, crmMirror].filter((mirror) => mirror !== null);
  return {
    connectors: { erp: erpMirror?.connector ?? erp, crm: crmMirror?.connector ?? crm },
    systems: [
      { system: 'erp', config: config.erp, mirror: erpMirror },
      { system: 'crm', config: config.crm, mirror: crmMirror },
    ],
    businessCentralWebhook: webhook,
    startReplication: (intervalMs) => mirrors.forEach((mirror) => mirror.replicator.start(intervalMs)),
    stopReplication: async () => {
      webhook?.stop();
      await Promise.all(
        mirrors.map(async (mirror) => {
          await mirror.replicator.stop();
          await mirror.turns.close();
        }),
      );
    },
  };
}
