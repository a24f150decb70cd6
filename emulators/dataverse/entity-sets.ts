/** The Dataverse tables the CRM side maps, by entity set name, with their primary key column. */
export const DATAVERSE_ENTITY_SETS: Readonly<Record<string, string>> = {
  accounts: 'accountid',
  contacts: 'contactid',
  systemusers: 'systemuserid',
  transactioncurrencies: 'transactioncurrencyid',
  uomschedules: 'uomscheduleid',
  products: 'productid',
  pricelevels: 'pricelevelid',
  productpricelevels: 'productpricelevelid',
  opportunities: 'opportunityid',
  invoices: 'invoiceid',
  invoicedetails: 'invoicedetailid',
  salesorders: 'salesorderid',
  salesorderdetails: 'salesorderdetailid',
};
