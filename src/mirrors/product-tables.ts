import type { ProductTable } from './product-table';

/**
 * Our ERP tables a Business Central mirror reads from and writes to its API v2.0 entity sets
 * (https://learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/).
 * The other ERP tables (documents, prices, setup) stay the gateway's own in this version. Webhooks:
 * https://learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/dynamics-subscriptions
 */
export const BUSINESS_CENTRAL_TABLES: readonly ProductTable[] = [
  {
    table: 'customer',
    entitySet: 'customers',
    naturalKey: 'no',
    webhooks: true,
    renamed: {
      no: 'number',
      name: 'displayName',
      address: 'addressLine1',
      postCode: 'postalCode',
      countryRegionCode: 'country',
      phoneNo: 'phoneNumber',
      creditLimitLcy: 'creditLimit',
    },
  },
  { table: 'salesperson_purchaser', entitySet: 'salespeoplePurchasers', naturalKey: 'code', renamed: { name: 'displayName' } },
  { table: 'currency', entitySet: 'currencies', naturalKey: 'code', webhooks: true },
  { table: 'contact', entitySet: 'contacts', naturalKey: 'no', renamed: { no: 'number', name: 'displayName', companyNo: 'companyNumber', phoneNo: 'phoneNumber' } },
  { table: 'item', entitySet: 'items', naturalKey: 'no', webhooks: true, renamed: { no: 'number', description: 'displayName', baseUnitOfMeasure: 'baseUnitOfMeasureCode' } },
  { table: 'unit_of_measure', entitySet: 'unitsOfMeasure', naturalKey: 'code', webhooks: true, renamed: { description: 'displayName' } },
];

/**
 * Our CRM tables a Dataverse mirror reads from and writes to Web API entity sets; column names
 * are the logical names (our field names lower-cased). Option set fields carry our option names
 * as text: a real environment's option values are not translated in this version.
 */
export const DATAVERSE_TABLES: readonly ProductTable[] = [
  { table: 'account', entitySet: 'accounts', lookups: { ownerId: 'systemusers', transactionCurrencyId: 'transactioncurrencies', parentAccountId: 'accounts' } },
  { table: 'contact', entitySet: 'contacts', lookups: { ownerId: 'systemusers', parentCustomerId: 'accounts' } },
  { table: 'system_user', entitySet: 'systemusers' },
  { table: 'transaction_currency', entitySet: 'transactioncurrencies' },
];
