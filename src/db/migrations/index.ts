import { ChangeNotifications1795642319210 as CrmChangeNotifications } from './crm/1795642319210-ChangeNotifications';
import { Initial1795637645149 as CrmInitial } from './crm/1795637645149-Initial';
import { ChangeNotifications1795642319210 as ErpChangeNotifications } from './erp/1795642319210-ChangeNotifications';
import { Initial1795637644671 as ErpInitial } from './erp/1795637644671-Initial';
import { Initial1795637850501 as IntegrationInitial } from './integration/1795637850501-Initial';
import { FullSync1795642299254 as IntegrationFullSync } from './integration/1795642299254-FullSync';
import { SyncJobs1795638532022 as IntegrationSyncJobs } from './integration/1795638532022-SyncJobs';
import { SyncWatermarks1795638931186 as IntegrationSyncWatermarks } from './integration/1795638931186-SyncWatermarks';

/** Each store has its own migrations and migrations table, since the stores may be separate databases. */
export const erpMigrations = [ErpInitial, ErpChangeNotifications];
export const crmMigrations = [CrmInitial, CrmChangeNotifications];
export const integrationMigrations = [IntegrationInitial, IntegrationSyncJobs, IntegrationSyncWatermarks, IntegrationFullSync];
