import type { DataSource } from 'typeorm';
import { storeUrl } from '../db/data-sources';
import { logger } from '../observability/logger';
import type { BusinessCentralClient } from '../connectors/business-central/business-central.client';
import type { CrmConnector } from '../connectors/crm.connector';
import type { DataverseClient } from '../connectors/dataverse/dataverse.client';
import type { ErpConnector } from '../connectors/erp.connector';
import type { SystemName } from '../connectors/system-name';
import { BusinessCentralProduct } from './business-central.product';
import { DataverseProduct } from './dataverse.product';
import { MirrorBook } from './mirror-book';
import { MirroredConnector } from './mirrored.connector';
import { BUSINESS_CENTRAL_TABLES, DATAVERSE_TABLES } from './product-tables';
import { Replicator } from './replicator';
import { TableTurns } from './table-turns';

/** A real product's connector and the replicator that keeps its mirror filled. */
export interface Mirror {
  readonly system: SystemName;
  readonly connector: MirroredConnector;
  readonly replicator: Replicator;
  /** Shared by the connector's writes and the replicator; closed once both are stopped. */
  readonly turns: TableTurns;
}

/** Modified-by of a Business Central change: its API v2.0 names no user. */
export const BUSINESS_CENTRAL_USER = 'BUSINESS CENTRAL';
/** Modified-by of a Dataverse change that names no user (Dataverse stamps `_modifiedby_value` on every write). */
const UNATTRIBUTED_CRM_USER = '00000000-0000-0000-0000-000000000000';

type OnError = (error: unknown, table: string) => void;

const onStalePosition = (table: string, error: unknown) =>
  logger.warn({ err: error, table }, 'the product refused the mirror’s feed position (expired delta link?): reading the table’s feed from the start');

export function businessCentralMirror(erp: ErpConnector, store: DataSource, client: BusinessCentralClient, onError: OnError): Mirror {
  const product = new BusinessCentralProduct(client);
  const book = new MirrorBook(store, 'erp');
  const turns = new TableTurns(storeUrl(store), 'erp');
  return {
    system: 'erp',
    turns,
    connector: new MirroredConnector(erp, product, book, BUSINESS_CENTRAL_TABLES, turns),
    replicator: new Replicator(erp, product, book, BUSINESS_CENTRAL_TABLES, { unattributedModifier: BUSINESS_CENTRAL_USER, onError, onStalePosition }, turns),
  };
}

export function dataverseMirror(crm: CrmConnector, store: DataSource, client: DataverseClient, onError: OnError): Mirror {
  const product = new DataverseProduct(client);
  const book = new MirrorBook(store, 'crm');
  const turns = new TableTurns(storeUrl(store), 'crm');
  return {
    system: 'crm',
    turns,
    connector: new MirroredConnector(crm, product, book, DATAVERSE_TABLES, turns),
    replicator: new Replicator(crm, product, book, DATAVERSE_TABLES, { unattributedModifier: UNATTRIBUTED_CRM_USER, onError, onStalePosition }, turns),
  };
}
