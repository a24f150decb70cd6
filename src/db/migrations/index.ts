export const erpMigrations: Function[] = [];
export const crmMigrations: Function[] = [];
export const integrationMigrations: Function[] = [];
