import { FieldTransformation } from '../../entities/integration/field-mapping.entity';
import { FilterOperator, type RecordFilter } from '../../entities/integration/record-filter';
import { SyncDirection } from '../../entities/integration/sync-direction';

const { TO_CRM, FROM_CRM, BIDIRECTIONAL } = SyncDirection;
const { COUPLING, OPTION, TRUNCATE } = FieldTransformation;

export interface StandardFieldMapping {
  readonly erp: string | null;
  readonly crm: string;
  readonly direction: SyncDirection;
  readonly transformation?: FieldTransformation;
  /** COUPLING: the mapping that couples the referenced records; OPTION: the option mapping. */
  readonly source?: string;
  readonly constant?: string;
  readonly match?: boolean;
}

export interface StandardTableMapping {
  readonly name: string;
  readonly erpTable: string;
  readonly crmTable: string;
  readonly direction: SyncDirection;
  readonly erpFilter: RecordFilter;
  readonly crmFilter: RecordFilter;
  readonly dependsOn: readonly string[];
  readonly fields: readonly StandardFieldMapping[];
  /** Records people create by hand on both sides are reviewed for duplicates before a sync creates them (see TableMapping). */
  readonly duplicateThreshold?: number;
}

export interface StandardOptionMapping {
  readonly name: string;
  readonly erpTable: string;
  readonly erpCustomerField: string;
  readonly crmOptionSet: string;
  readonly crmAccountField: string;
}

/** A likely match: names alike once case, punctuation and legal forms are set aside, or alike and corroborated by phone, e-mail domain or address. */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.8;

const eq = (field: string, value: string | boolean): RecordFilter[number] => ({ field, op: FilterOperator.EQ, value });
const notNull = (field: string): RecordFilter[number] => ({ field, op: FilterOperator.IS_NOT_NULL });
const coupled = (erp: string, crm: string, source: string, direction = TO_CRM): StandardFieldMapping => ({ erp, crm, direction, transformation: COUPLING, source });

/**
 * The standard table mappings of the Business Central ⇄ Sales integration, in dependency order,
 * with their directions and default filters (seed: "Standard Sales Entity Mapping"), plus the
 * sales order transfer mapping of "Handling Special Sales Order Data".
 */
export const standardTableMappings: readonly StandardTableMapping[] = [
  {
    name: 'SALESPEOPLE',
    erpTable: 'salesperson_purchaser',
    crmTable: 'system_user',
    direction: FROM_CRM,
    erpFilter: [],
    crmFilter: [eq('isDisabled', false), eq('isLicensed', true), eq('isIntegrationUser', false)],
    dependsOn: [],
    fields: [
      { erp: 'name', crm: 'fullName', direction: FROM_CRM, match: true },
      { erp: 'email', crm: 'internalEmailAddress', direction: FROM_CRM, match: true },
    ],
  },
  {
    name: 'CURRENCY',
    erpTable: 'currency',
    crmTable: 'transaction_currency',
    direction: TO_CRM,
    erpFilter: [notNull('isoCode')],
    crmFilter: [],
    dependsOn: [],
    fields: [
      { erp: 'isoCode', crm: 'isoCurrencyCode', direction: TO_CRM, match: true },
      { erp: 'description', crm: 'currencyName', direction: TO_CRM },
      { erp: 'symbol', crm: 'currencySymbol', direction: TO_CRM },
      { erp: 'exchangeRate', crm: 'exchangeRate', direction: TO_CRM },
    ],
  },
  {
    name: 'UNIT OF MEASURE',
    erpTable: 'unit_of_measure',
    crmTable: 'unit_group',
    direction: TO_CRM,
    erpFilter: [],
    crmFilter: [],
    dependsOn: [],
    fields: [
      { erp: 'code', crm: 'name', direction: TO_CRM, match: true },
      { erp: 'description', crm: 'baseUomName', direction: TO_CRM },
    ],
  },
  {
    name: 'CUSTOMER',
    duplicateThreshold: DEFAULT_DUPLICATE_THRESHOLD,
    erpTable: 'customer',
    crmTable: 'account',
    direction: BIDIRECTIONAL,
    erpFilter: [],
    crmFilter: [eq('customerTypeCode', 'CUSTOMER'), eq('stateCode', 'ACTIVE')],
    dependsOn: ['SALESPEOPLE', 'CURRENCY', 'UNIT OF MEASURE'],
    fields: [
      { erp: 'no', crm: 'accountNumber', direction: BIDIRECTIONAL, match: true },
      { erp: 'name', crm: 'name', direction: BIDIRECTIONAL, match: true },
      { erp: 'address', crm: 'address1Line1', direction: BIDIRECTIONAL },
      { erp: 'city', crm: 'address1City', direction: BIDIRECTIONAL, match: true },
      { erp: 'postCode', crm: 'address1PostalCode', direction: BIDIRECTIONAL },
      { erp: 'countryRegionCode', crm: 'address1Country', direction: BIDIRECTIONAL },
      { erp: 'phoneNo', crm: 'telephone1', direction: BIDIRECTIONAL, match: true },
      { erp: 'email', crm: 'emailAddress1', direction: BIDIRECTIONAL, match: true },
      { erp: 'creditLimitLcy', crm: 'creditLimit', direction: TO_CRM },
      coupled('salespersonCode', 'ownerId', 'SALESPEOPLE'),
      coupled('currencyCode', 'transactionCurrencyId', 'CURRENCY'),
      { erp: 'paymentTermsCode', crm: 'paymentTermsCode', direction: TO_CRM, transformation: OPTION, source: 'PAYMENT TERMS' },
      { erp: 'shipmentMethodCode', crm: 'address1FreightTermsCode', direction: TO_CRM, transformation: OPTION, source: 'SHIPMENT METHOD' },
      { erp: 'shippingAgentCode', crm: 'address1ShippingMethodCode', direction: TO_CRM, transformation: OPTION, source: 'SHIPPING AGENT' },
      { erp: null, crm: 'customerTypeCode', direction: TO_CRM, constant: 'CUSTOMER' },
    ],
  },
  {
    name: 'CONTACT',
    duplicateThreshold: DEFAULT_DUPLICATE_THRESHOLD,
    erpTable: 'contact',
    crmTable: 'contact',
    direction: BIDIRECTIONAL,
    erpFilter: [eq('type', 'PERSON'), notNull('companyNo')],
    crmFilter: [notNull('parentCustomerId'), eq('parentCustomerType', 'ACCOUNT')],
    dependsOn: ['CUSTOMER'],
    fields: [
      { erp: 'name', crm: 'fullName', direction: BIDIRECTIONAL, match: true },
      { erp: 'email', crm: 'emailAddress1', direction: BIDIRECTIONAL, match: true },
      { erp: 'phoneNo', crm: 'telephone1', direction: BIDIRECTIONAL },
      { erp: 'jobTitle', crm: 'jobTitle', direction: BIDIRECTIONAL },
      coupled('companyNo', 'parentCustomerId', 'CUSTOMER', BIDIRECTIONAL),
      coupled('salespersonCode', 'ownerId', 'SALESPEOPLE'),
    ],
  },
  {
    name: 'ITEM-PRODUCT',
    duplicateThreshold: DEFAULT_DUPLICATE_THRESHOLD,
    erpTable: 'item',
    crmTable: 'product',
    direction: BIDIRECTIONAL,
    erpFilter: [],
    crmFilter: [eq('productTypeCode', 'SALES_INVENTORY')],
    dependsOn: ['UNIT OF MEASURE'],
    fields: [
      { erp: 'no', crm: 'productNumber', direction: BIDIRECTIONAL, match: true },
      { erp: 'description', crm: 'name', direction: BIDIRECTIONAL, match: true },
      { erp: 'unitPrice', crm: 'price', direction: BIDIRECTIONAL },
      { erp: 'unitCost', crm: 'standardCost', direction: BIDIRECTIONAL },
      { erp: 'inventory', crm: 'quantityOnHand', direction: TO_CRM },
      coupled('baseUnitOfMeasure', 'defaultUnitGroupId', 'UNIT OF MEASURE'),
      { erp: null, crm: 'productTypeCode', direction: TO_CRM, constant: 'SALES_INVENTORY' },
    ],
  },
  {
    name: 'RESOURCE-PRODUCT',
    duplicateThreshold: DEFAULT_DUPLICATE_THRESHOLD,
    erpTable: 'resource',
    crmTable: 'product',
    direction: BIDIRECTIONAL,
    erpFilter: [],
    crmFilter: [eq('productTypeCode', 'SERVICES')],
    dependsOn: ['UNIT OF MEASURE'],
    fields: [
      { erp: 'no', crm: 'productNumber', direction: BIDIRECTIONAL, match: true },
      { erp: 'name', crm: 'name', direction: BIDIRECTIONAL, match: true },
      { erp: 'unitPrice', crm: 'price', direction: BIDIRECTIONAL },
      { erp: 'unitCost', crm: 'standardCost', direction: BIDIRECTIONAL },
      coupled('baseUnitOfMeasure', 'defaultUnitGroupId', 'UNIT OF MEASURE'),
      { erp: null, crm: 'productTypeCode', direction: TO_CRM, constant: 'SERVICES' },
    ],
  },
  {
    name: 'CUSTPRCGRP-PRICE',
    erpTable: 'customer_price_group',
    crmTable: 'price_level',
    direction: TO_CRM,
    erpFilter: [],
    crmFilter: [],
    dependsOn: [],
    fields: [{ erp: 'code', crm: 'name', direction: TO_CRM, match: true }],
  },
  {
    name: 'SALESPRC-PRODPRICE',
    erpTable: 'sales_price',
    crmTable: 'product_price_level',
    direction: TO_CRM,
    erpFilter: [eq('salesType', 'CUSTOMER_PRICE_GROUP'), { field: 'salesCode', op: FilterOperator.NE, value: '' }],
    crmFilter: [],
    dependsOn: ['CUSTPRCGRP-PRICE', 'ITEM-PRODUCT', 'CURRENCY'],
    fields: [
      coupled('salesCode', 'priceLevelId', 'CUSTPRCGRP-PRICE'),
      coupled('itemNo', 'productId', 'ITEM-PRODUCT'),
      coupled('currencyCode', 'transactionCurrencyId', 'CURRENCY'),
      coupled('unitOfMeasureCode', 'unitId', 'UNIT OF MEASURE'),
      { erp: 'unitPrice', crm: 'amount', direction: TO_CRM },
      { erp: 'minimumQuantity', crm: 'minimumQuantity', direction: TO_CRM },
    ],
  },
  {
    name: 'OPPORTUNITY',
    duplicateThreshold: DEFAULT_DUPLICATE_THRESHOLD,
    erpTable: 'opportunity',
    crmTable: 'opportunity',
    direction: BIDIRECTIONAL,
    erpFilter: [],
    crmFilter: [],
    dependsOn: ['CUSTOMER', 'CONTACT'],
    fields: [
      { erp: 'description', crm: 'name', direction: BIDIRECTIONAL, match: true },
      { erp: 'estimatedValueLcy', crm: 'estimatedValue', direction: BIDIRECTIONAL },
      { erp: 'estimatedClosingDate', crm: 'estimatedCloseDate', direction: BIDIRECTIONAL },
      { erp: 'probabilityPct', crm: 'closeProbability', direction: BIDIRECTIONAL },
      coupled('customerNo', 'parentAccountId', 'CUSTOMER', BIDIRECTIONAL),
      coupled('contactNo', 'parentContactId', 'CONTACT', BIDIRECTIONAL),
      coupled('salespersonCode', 'ownerId', 'SALESPEOPLE'),
    ],
  },
  {
    name: 'POSTEDSALESINV-INV',
    erpTable: 'sales_invoice_header',
    crmTable: 'invoice',
    direction: TO_CRM,
    erpFilter: [],
    crmFilter: [],
    dependsOn: ['CUSTOMER', 'ITEM-PRODUCT', 'RESOURCE-PRODUCT', 'CURRENCY', 'CUSTPRCGRP-PRICE'],
    fields: [
      { erp: 'no', crm: 'invoiceNumber', direction: TO_CRM, match: true },
      { erp: 'no', crm: 'name', direction: TO_CRM },
      coupled('sellToCustomerNo', 'customerId', 'CUSTOMER'),
      coupled('salespersonCode', 'ownerId', 'SALESPEOPLE'),
      coupled('currencyCode', 'transactionCurrencyId', 'CURRENCY'),
      { erp: 'amountIncludingVat', crm: 'totalAmount', direction: TO_CRM },
      { erp: 'amount', crm: 'totalLineItemAmount', direction: TO_CRM },
      { erp: 'postingDate', crm: 'dateDelivered', direction: TO_CRM },
      { erp: 'dueDate', crm: 'dueDate', direction: TO_CRM },
    ],
  },
  {
    name: 'POSTEDSALESLINE-INV',
    erpTable: 'sales_invoice_line',
    crmTable: 'invoice_detail',
    direction: TO_CRM,
    erpFilter: [],
    crmFilter: [],
    dependsOn: ['POSTEDSALESINV-INV'],
    fields: [
      coupled('documentNo', 'invoiceId', 'POSTEDSALESINV-INV'),
      { erp: 'lineNo', crm: 'lineItemNumber', direction: TO_CRM, match: true },
      coupled('no', 'productId', 'ITEM-PRODUCT'),
      { erp: 'description', crm: 'productDescription', direction: TO_CRM },
      { erp: 'quantity', crm: 'quantity', direction: TO_CRM },
      { erp: 'unitPrice', crm: 'pricePerUnit', direction: TO_CRM },
      { erp: 'lineAmount', crm: 'extendedAmount', direction: TO_CRM },
    ],
  },
  {
    name: 'SALESORDER-ORDER',
    erpTable: 'sales_header',
    crmTable: 'sales_order',
    direction: FROM_CRM,
    erpFilter: [eq('documentType', 'ORDER')],
    crmFilter: [eq('stateCode', 'SUBMITTED')],
    dependsOn: ['CUSTOMER', 'ITEM-PRODUCT', 'RESOURCE-PRODUCT', 'CURRENCY', 'UNIT OF MEASURE', 'CUSTPRCGRP-PRICE'],
    fields: [
      { erp: 'externalDocumentNo', crm: 'name', direction: FROM_CRM, transformation: TRUNCATE, match: true },
      coupled('sellToCustomerNo', 'customerId', 'CUSTOMER', FROM_CRM),
      coupled('currencyCode', 'transactionCurrencyId', 'CURRENCY', FROM_CRM),
      coupled('salespersonCode', 'ownerId', 'SALESPEOPLE', FROM_CRM),
    ],
  },
];

/** Mappings whose records move as whole documents (header and lines) by a transfer, not field by field. */
export const transferredMappings: ReadonlySet<string> = new Set(['SALESORDER-ORDER']);

/** Seed: "Field Mapping for the Sales Account Option". */

export const standardOptionMappings: readonly StandardOptionMapping[] = [
  { name: 'PAYMENT TERMS', erpTable: 'payment_terms', erpCustomerField: 'paymentTermsCode', crmOptionSet: 'PAYMENT_TERMS', crmAccountField: 'paymentTermsCode' },
  { name: 'SHIPMENT METHOD', erpTable: 'shipment_method', erpCustomerField: 'shipmentMethodCode', crmOptionSet: 'FREIGHT_TERMS', crmAccountField: 'address1FreightTermsCode' },
  { name: 'SHIPPING AGENT', erpTable: 'shipping_agent', erpCustomerField: 'shippingAgentCode', crmOptionSet: 'SHIPPING_METHOD', crmAccountField: 'address1ShippingMethodCode' },
];

/** A standard mapping may run in its own direction; a bidirectional one may be narrowed to either. */
export function allowedDirections(direction: SyncDirection): SyncDirection[] {
  return direction === BIDIRECTIONAL ? [BIDIRECTIONAL, TO_CRM, FROM_CRM] : [direction];
}
