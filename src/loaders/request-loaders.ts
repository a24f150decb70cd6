import type { DataSource } from 'typeorm';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import { BatchWaves } from './batch-waves';
import { IntegrationLoaders } from './integration.loaders';
import { RecordLoaders } from './record.loaders';

/** Every DataLoader of one request; built by the context factory, never shared between requests. */
export interface RequestLoaders {
  readonly erp: RecordLoaders;
  readonly crm: RecordLoaders;
  readonly integration: IntegrationLoaders;
  readonly waves: BatchWaves;
}

export function createRequestLoaders(connectors: Readonly<Record<SystemName, SystemConnector>>, integration: DataSource): RequestLoaders {
  const waves = new BatchWaves();
  return {
    erp: new RecordLoaders(connectors.erp, waves),
    crm: new RecordLoaders(connectors.crm, waves),
    integration: new IntegrationLoaders(integration, waves),
    waves,
  };
}
