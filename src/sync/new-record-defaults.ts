import type { SystemName } from '../connectors/system-connector';

/**
 * Values a record created by synchronisation needs that no field mapping gives: states and types
 * a new record of each table starts with.
 */
const defaults: Readonly<Record<SystemName, Readonly<Record<string, Readonly<Record<string, unknown>>>>>> = {
  crm: {
    account: { stateCode: 'ACTIVE', customerTypeCode: 'CUSTOMER' },
    contact: { stateCode: 'ACTIVE', parentCustomerType: 'ACCOUNT' },
    product: { stateCode: 'ACTIVE' },
    price_level: { stateCode: 'ACTIVE' },
    product_price_level: { quantitySellingCode: 'NO_CONTROL' },
    opportunity: { stateCode: 'OPEN' },
    invoice: { stateCode: 'ACTIVE' },
    transaction_currency: { currencyPrecision: 2 },
  },
  erp: {
    contact: { type: 'PERSON' },
    item: { type: 'INVENTORY' },
    resource: { type: 'PERSON' },
    opportunity: { status: 'NOT_STARTED' },
    customer: { blocked: 'NONE' },
  },
};

export function newRecordDefaults(system: SystemName, table: string): Readonly<Record<string, unknown>> {
  return defaults[system][table] ?? {};
}
