export type SystemName = 'erp' | 'crm';
