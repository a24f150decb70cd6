import { standardTableMappings } from '../mappings/standard-mappings';

/** A merged GraphQL field and the ERP and CRM fields it is taken from. */
export type MergedFields = Readonly<Record<string, readonly [erpField: string, crmField: string]>>;

export interface UnifiedType {
  readonly typeName: string;
  readonly mappingName: string;
  readonly erpTable: string;
  readonly crmTable: string;
  /** The ERP field other records refer to this one by (its code or No.), if any. */
  readonly erpCodeField: string | null;
  readonly merged: MergedFields;
}

const define = (typeName: string, mappingName: string, erpCodeField: string | null, merged: MergedFields): UnifiedType => {
  const mapping = standardTableMappings.find((m) => m.name === mappingName);
  if (!mapping) throw new Error(`No standard mapping ${mappingName}`);
  return { typeName, mappingName, erpTable: mapping.erpTable, crmTable: mapping.crmTable, erpCodeField, merged };
};

/** Every unified GraphQL type and the table mapping behind it. */
export const unifiedTypes = {
  Salesperson: define('Salesperson', 'SALESPEOPLE', 'code', { name: ['name', 'fullName'], email: ['email', 'internalEmailAddress'] }),
  Currency: define('Currency', 'CURRENCY', 'code', {
    isoCode: ['isoCode', 'isoCurrencyCode'],
    name: ['description', 'currencyName'],
    symbol: ['symbol', 'currencySymbol'],
    exchangeRate: ['exchangeRate', 'exchangeRate'],
  }),
  UnitOfMeasure: define('UnitOfMeasure', 'UNIT OF MEASURE', 'code', { code: ['code', 'name'], description: ['description', 'baseUomName'] }),
  Customer: define('Customer', 'CUSTOMER', 'no', {
    number: ['no', 'accountNumber'],
    name: ['name', 'name'],
    address: ['address', 'address1Line1'],
    city: ['city', 'address1City'],
    postCode: ['postCode', 'address1PostalCode'],
    country: ['countryRegionCode', 'address1Country'],
    phone: ['phoneNo', 'telephone1'],
    email: ['email', 'emailAddress1'],
    creditLimit: ['creditLimitLcy', 'creditLimit'],
  }),
  Contact: define('Contact', 'CONTACT', 'no', {
    name: ['name', 'fullName'],
    email: ['email', 'emailAddress1'],
    phone: ['phoneNo', 'telephone1'],
    jobTitle: ['jobTitle', 'jobTitle'],
  }),
  Item: define('Item', 'ITEM-PRODUCT', 'no', {
    number: ['no', 'productNumber'],
    description: ['description', 'name'],
    unitPrice: ['unitPrice', 'price'],
    unitCost: ['unitCost', 'standardCost'],
    inventory: ['inventory', 'quantityOnHand'],
  }),
  Resource: define('Resource', 'RESOURCE-PRODUCT', 'no', {
    number: ['no', 'productNumber'],
    name: ['name', 'name'],
    unitPrice: ['unitPrice', 'price'],
    unitCost: ['unitCost', 'standardCost'],
  }),
  PriceList: define('PriceList', 'CUSTPRCGRP-PRICE', 'code', { name: ['code', 'name'] }),
  Price: define('Price', 'SALESPRC-PRODPRICE', null, { unitPrice: ['unitPrice', 'amount'], minimumQuantity: ['minimumQuantity', 'minimumQuantity'] }),
  Opportunity: define('Opportunity', 'OPPORTUNITY', 'no', {
    name: ['description', 'name'],
    estimatedValue: ['estimatedValueLcy', 'estimatedValue'],
    estimatedCloseDate: ['estimatedClosingDate', 'estimatedCloseDate'],
    probability: ['probabilityPct', 'closeProbability'],
  }),
  Invoice: define('Invoice', 'POSTEDSALESINV-INV', 'no', {
    number: ['no', 'invoiceNumber'],
    totalAmount: ['amountIncludingVat', 'totalAmount'],
    amount: ['amount', 'totalLineItemAmount'],
    postingDate: ['postingDate', 'dateDelivered'],
    dueDate: ['dueDate', 'dueDate'],
  }),
  InvoiceLine: define('InvoiceLine', 'POSTEDSALESLINE-INV', null, {
    lineNo: ['lineNo', 'lineItemNumber'],
    description: ['description', 'productDescription'],
    quantity: ['quantity', 'quantity'],
    unitPrice: ['unitPrice', 'pricePerUnit'],
    lineAmount: ['lineAmount', 'extendedAmount'],
  }),
  SalesOrder: define('SalesOrder', 'SALESORDER-ORDER', 'no', {
    number: ['no', 'orderNumber'],
    name: ['externalDocumentNo', 'name'],
  }),
} as const satisfies Record<string, UnifiedType>;

export type UnifiedTypeName = keyof typeof unifiedTypes;

export function unifiedType(typeName: string): UnifiedType | null {
  return (unifiedTypes as Record<string, UnifiedType>)[typeName] ?? null;
}
