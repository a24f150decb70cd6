import { ConnectionSetup } from './connection-setup.entity';
import { FieldMapping } from './field-mapping.entity';
import { FullSyncRun } from './full-sync-run.entity';
import { IntegrationRecord } from './integration-record.entity';
import { OptionCoupling } from './option-coupling.entity';
import { OptionMapping } from './option-mapping.entity';
import { SyncJob } from './sync-job.entity';
import { TableMapping } from './table-mapping.entity';

export * from './connection-setup.entity';
export * from './field-mapping.entity';
export * from './full-sync-run.entity';
export * from './integration-record.entity';
export * from './option-coupling.entity';
export * from './option-mapping.entity';
export * from './record-filter';
export * from './sync-direction';
export * from './sync-job.entity';
export * from './table-mapping.entity';

export const integrationEntities = [TableMapping, FieldMapping, OptionMapping, OptionCoupling, IntegrationRecord, SyncJob, FullSyncRun, ConnectionSetup] as const;
