import { Initial1795637645149 as CrmInitial } from './crm/1795637645149-Initial';
import { Initial1795637644671 as ErpInitial } from './erp/1795637644671-Initial';
import { Initial1795637850501 as IntegrationInitial } from './integration/1795637850501-Initial';
import { SyncJobs1795638532022 as IntegrationSyncJobs } from './integration/1795638532022-SyncJobs';
import { SyncWatermarks1795638931186 as IntegrationSyncWatermarks } from './integration/1795638931186-SyncWatermarks';

/** Each store has its own migrations and migrations table, since the stores may be separate databases. */
export const erpMigrations = [ErpInitial];
export const crmMigrations = [CrmInitial];
export const integrationMigrations = [IntegrationInitial, IntegrationSyncJobs, IntegrationSyncWatermarks];
