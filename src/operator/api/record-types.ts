/**
 * The unified GraphQL type of each table mapping (the public contract's table of mappings), for
 * reading a record of a mapping with node(id:).
 */
export const TYPE_OF_MAPPING: Readonly<Record<string, string>> = {
  SALESPEOPLE: 'Salesperson',
  CURRENCY: 'Currency',
  'UNIT OF MEASURE': 'UnitOfMeasure',
  CUSTOMER: 'Customer',
  CONTACT: 'Contact',
  'ITEM-PRODUCT': 'Item',
  'RESOURCE-PRODUCT': 'Resource',
  'CUSTPRCGRP-PRICE': 'PriceList',
  'SALESPRC-PRODPRICE': 'Price',
  OPPORTUNITY: 'Opportunity',
  'POSTEDSALESINV-INV': 'Invoice',
  'POSTEDSALESLINE-INV': 'InvoiceLine',
  'SALESORDER-ORDER': 'SalesOrder',
};

export const mappingOfType = (typeName: string): string | undefined => Object.entries(TYPE_OF_MAPPING).find(([, type]) => type === typeName)?.[0];
