import type { ProductTable } from './product-table';

/** A sales line's fields and line types as BC's document line pages name them. */
const SALES_LINE = {
  documentKey: 'lineNo',
  renamed: { lineNo: 'sequence', type: 'lineType', no: 'lineObjectNumber', lineAmount: 'amountExcludingTax' },
  values: { type: { COMMENT: 'Comment', ITEM: 'Item', RESOURCE: 'Resource' } },
} as const;

/**
 * Our ERP tables a Business Central mirror reads from and writes to its API v2.0 entity sets
 * (https://learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/).
 * Open sales orders are `salesOrders` with their `salesOrderLines`, posted sales invoices
 * `salesInvoices` with their `salesInvoiceLines` (a document's lines are created with it in one
 * deep insert); the other ERP tables (quotes, prices, setup) stay the gateway's own in this version. Our fields BC's pages lack (a line's documentNo) are carried
 * as an API extension page would publish them. Webhooks:
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
  {
    table: 'sales_header',
    entitySet: 'salesOrders',
    naturalKey: 'no',
    webhooks: true,
    renamed: { no: 'number', sellToCustomerNo: 'customerNumber', externalDocumentNo: 'externalDocumentNumber', salespersonCode: 'salesperson' },
    lines: { table: 'sales_line', documentField: 'documentNo' },
    implied: { documentType: 'ORDER' },
  },
  {
    table: 'sales_line',
    entitySet: 'salesOrderLines',
    ...SALES_LINE,
    document: { entitySet: 'salesOrders', numberField: 'documentNo' },
    implied: { documentType: 'ORDER' },
  },
  /*
   * BC's salesInvoices holds draft and posted invoices alike (its status tells them apart); a POST
   * creates a draft, which BC posts with the bound action Microsoft.NAV.post
   * (https://learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/resources/dynamics_salesinvoice).
   * The gateway only reads posted invoices (POSTEDSALESINV-INV runs ERP → CRM); the demo's and the
   * tests' invoices are written as they would be posted.
   */
  {
    table: 'sales_invoice_header',
    entitySet: 'salesInvoices',
    naturalKey: 'no',
    webhooks: true,
    renamed: {
      no: 'number',
      sellToCustomerNo: 'customerNumber',
      billToCustomerNo: 'billToCustomerNumber',
      externalDocumentNo: 'externalDocumentNumber',
      salespersonCode: 'salesperson',
      amount: 'totalAmountExcludingTax',
      amountIncludingVat: 'totalAmountIncludingTax',
    },
    lines: { table: 'sales_invoice_line', documentField: 'documentNo' },
  },
  { table: 'sales_invoice_line', entitySet: 'salesInvoiceLines', ...SALES_LINE, document: { entitySet: 'salesInvoices', numberField: 'documentNo' } },
];

/**
 * Our CRM tables a Dataverse mirror reads from and writes to Web API entity sets; column names
 * are the logical names (our field names lower-cased). Option set fields carry our option names
 * as text: a real environment's option values are not translated in this version. Units (`uoms`)
 * and option sets stay the gateway's own; the lookups to units name them by id all the same.
 */
export const DATAVERSE_TABLES: readonly ProductTable[] = [
  {
    table: 'account',
    entitySet: 'accounts',
    keyColumn: 'accountid',
    lookups: { ownerId: 'systemusers', transactionCurrencyId: 'transactioncurrencies', parentAccountId: 'accounts' },
  },
  { table: 'contact', entitySet: 'contacts', keyColumn: 'contactid', lookups: { ownerId: 'systemusers', parentCustomerId: 'accounts' } },
  { table: 'system_user', entitySet: 'systemusers', keyColumn: 'systemuserid' },
  { table: 'transaction_currency', entitySet: 'transactioncurrencies', keyColumn: 'transactioncurrencyid' },
  { table: 'unit_group', entitySet: 'uomschedules', keyColumn: 'uomscheduleid' },
  { table: 'price_level', entitySet: 'pricelevels', keyColumn: 'pricelevelid', lookups: { transactionCurrencyId: 'transactioncurrencies' } },
  { table: 'product', entitySet: 'products', keyColumn: 'productid', lookups: { defaultUnitGroupId: 'uomschedules', defaultUnitId: 'uoms', priceLevelId: 'pricelevels' } },
  {
    table: 'product_price_level',
    entitySet: 'productpricelevels',
    keyColumn: 'productpricelevelid',
    lookups: { priceLevelId: 'pricelevels', productId: 'products', unitId: 'uoms', transactionCurrencyId: 'transactioncurrencies' },
  },
  {
    table: 'opportunity',
    entitySet: 'opportunities',
    keyColumn: 'opportunityid',
    lookups: { parentAccountId: 'accounts', parentContactId: 'contacts', ownerId: 'systemusers', transactionCurrencyId: 'transactioncurrencies' },
  },
  {
    table: 'invoice',
    entitySet: 'invoices',
    keyColumn: 'invoiceid',
    lookups: { customerId: 'accounts', ownerId: 'systemusers', transactionCurrencyId: 'transactioncurrencies', priceLevelId: 'pricelevels' },
  },
  { table: 'invoice_detail', entitySet: 'invoicedetails', keyColumn: 'invoicedetailid', lookups: { invoiceId: 'invoices', productId: 'products', unitId: 'uoms' } },
  {
    table: 'sales_order',
    entitySet: 'salesorders',
    keyColumn: 'salesorderid',
    lookups: { customerId: 'accounts', ownerId: 'systemusers', transactionCurrencyId: 'transactioncurrencies', priceLevelId: 'pricelevels' },
  },
  { table: 'sales_order_detail', entitySet: 'salesorderdetails', keyColumn: 'salesorderdetailid', lookups: { salesOrderId: 'salesorders', productId: 'products', unitId: 'uoms' } },
];
