import { randomUUID } from 'node:crypto';
import { Account, AccountRelationshipType, AccountState } from '../../entities/crm';
import { Customer, CustomerBlocked } from '../../entities/erp';

/** A new active CRM customer account with only a name and an owner. */
export function newAccount(name: string, ownerId: string): Account {
  return Object.assign(new Account(), {
    id: randomUUID(),
    name,
    accountNumber: null,
    customerTypeCode: AccountRelationshipType.CUSTOMER,
    stateCode: AccountState.ACTIVE,
    ownerId,
    transactionCurrencyId: null,
    paymentTermsCode: null,
    address1FreightTermsCode: null,
    address1ShippingMethodCode: null,
    parentAccountId: null,
    telephone1: null,
    emailAddress1: null,
    address1Line1: null,
    address1City: null,
    address1PostalCode: null,
    address1Country: null,
    creditLimit: null,
  });
}

/** A new ERP customer in local currency with only a No. and a name. */
export function newCustomer(no: string, name: string): Customer {
  return Object.assign(new Customer(), {
    systemId: randomUUID(),
    no,
    name,
    address: null,
    city: null,
    postCode: null,
    countryRegionCode: null,
    phoneNo: null,
    email: null,
    salespersonCode: null,
    currencyCode: null,
    customerPriceGroup: null,
    paymentTermsCode: null,
    shipmentMethodCode: null,
    shippingAgentCode: null,
    creditLimitLcy: 0,
    blocked: CustomerBlocked.NONE,
  });
}
