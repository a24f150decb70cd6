import { Account } from './account.entity';
import { Contact } from './contact.entity';
import { Invoice } from './invoice.entity';
import { InvoiceDetail } from './invoice-detail.entity';
import { Opportunity } from './opportunity.entity';
import { OptionSetValue } from './option-set-value.entity';
import { PriceLevel } from './price-level.entity';
import { Product } from './product.entity';
import { ProductPriceLevel } from './product-price-level.entity';
import { SalesOrder } from './sales-order.entity';
import { SalesOrderDetail } from './sales-order-detail.entity';
import { SystemUser } from './system-user.entity';
import { TransactionCurrency } from './transaction-currency.entity';
import { Unit } from './unit.entity';
import { UnitGroup } from './unit-group.entity';

export { CrmRecord } from './crm-record';
export { Account, AccountRelationshipType, AccountState } from './account.entity';
export { Contact, ContactState, CustomerLookupType } from './contact.entity';
export { Invoice, InvoiceState } from './invoice.entity';
export { InvoiceDetail } from './invoice-detail.entity';
export { Opportunity, OpportunityState } from './opportunity.entity';
export { AccountOptionSet, OptionSetValue } from './option-set-value.entity';
export { PriceLevel, PriceLevelState } from './price-level.entity';
export { Product, ProductState, ProductType } from './product.entity';
export { ProductPriceLevel, QuantitySellingOption } from './product-price-level.entity';
export { SalesOrder, SalesOrderState } from './sales-order.entity';
export { SalesOrderDetail } from './sales-order-detail.entity';
export { SystemUser } from './system-user.entity';
export { TransactionCurrency } from './transaction-currency.entity';
export { Unit } from './unit.entity';
export { UnitGroup } from './unit-group.entity';

export const crmEntities = [
  SystemUser,
  Account,
  Contact,
  TransactionCurrency,
  UnitGroup,
  Unit,
  Product,
  PriceLevel,
  ProductPriceLevel,
  Opportunity,
  Invoice,
  InvoiceDetail,
  SalesOrder,
  SalesOrderDetail,
  OptionSetValue,
] as const;
