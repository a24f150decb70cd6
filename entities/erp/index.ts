import { Contact } from './contact.entity';
import { Currency } from './currency.entity';
import { Customer } from './customer.entity';
import { CustomerPriceGroup } from './customer-price-group.entity';
import { Item } from './item.entity';
import { NoSeries } from './no-series.entity';
import { Opportunity } from './opportunity.entity';
import { PaymentTerms } from './payment-terms.entity';
import { Resource } from './resource.entity';
import { SalesHeader } from './sales-header.entity';
import { SalesInvoiceHeader } from './sales-invoice-header.entity';
import { SalesInvoiceLine } from './sales-invoice-line.entity';
import { SalesLine } from './sales-line.entity';
import { SalesPrice } from './sales-price.entity';
import { SalesReceivablesSetup } from './sales-receivables-setup.entity';
import { SalespersonPurchaser } from './salesperson-purchaser.entity';
import { ShipmentMethod } from './shipment-method.entity';
import { ShippingAgent } from './shipping-agent.entity';
import { UnitOfMeasure } from './unit-of-measure.entity';

export { ErpRecord } from './erp-record';
export { ContactType } from './contact.entity';
export { CustomerBlocked } from './customer.entity';
export { ItemType } from './item.entity';
export { OpportunityStatus } from './opportunity.entity';
export { ResourceType } from './resource.entity';
export { SalesDocumentStatus, SalesDocumentType } from './sales-header.entity';
export { SalesLineType } from './sales-line.entity';
export { SalesType } from './sales-price.entity';
export { WriteInProductType } from './sales-receivables-setup.entity';
export {
  Contact,
  Currency,
  Customer,
  CustomerPriceGroup,
  Item,
  NoSeries,
  Opportunity,
  PaymentTerms,
  Resource,
  SalesHeader,
  SalesInvoiceHeader,
  SalesInvoiceLine,
  SalesLine,
  SalesPrice,
  SalesReceivablesSetup,
  SalespersonPurchaser,
  ShipmentMethod,
  ShippingAgent,
  UnitOfMeasure,
};

export const erpEntities = [
  SalespersonPurchaser,
  Customer,
  Contact,
  Currency,
  UnitOfMeasure,
  Item,
  Resource,
  CustomerPriceGroup,
  SalesPrice,
  Opportunity,
  SalesInvoiceHeader,
  SalesInvoiceLine,
  SalesHeader,
  SalesLine,
  PaymentTerms,
  ShipmentMethod,
  ShippingAgent,
  SalesReceivablesSetup,
  NoSeries,
] as const;
