import { Initial1795634874752 as CrmInitial } from './crm/1795634874752-Initial';
import { Initial1795634874133 as ErpInitial } from './erp/1795634874133-Initial';
import { Initial1795637276987 as IntegrationInitial } from './integration/1795637276987-Initial';

/** Each store has its own migrations and migrations table, since the stores may be separate databases. */
export const erpMigrations = [ErpInitial];
export const crmMigrations = [CrmInitial];
export const integrationMigrations = [IntegrationInitial];
