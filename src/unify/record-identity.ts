import type { SystemName, DomainRecord } from '../connectors/system-connector';
import { referencesOf } from './record-references';

/** How people find a record of a mapping on one side: its number (or code) and its name. */
interface SideIdentity {
  number(record: DomainRecord): string;
  name(record: DomainRecord): string;
}

const field = (name: string) => (record: DomainRecord) => String(record[name] ?? '');
const none = () => '';
const side = (number: (r: DomainRecord) => string, name: (r: DomainRecord) => string): SideIdentity => ({ number, name });

const identities: Record<string, Record<SystemName, SideIdentity>> = {
  SALESPEOPLE: { erp: side(field('code'), field('name')), crm: side(field('domainName'), field('fullName')) },
  CURRENCY: { erp: side(field('code'), field('description')), crm: side(field('isoCurrencyCode'), field('currencyName')) },
  'UNIT OF MEASURE': { erp: side(field('code'), field('description')), crm: side(field('name'), field('baseUomName')) },
  CUSTOMER: { erp: side(field('no'), field('name')), crm: side(field('accountNumber'), field('name')) },
  CONTACT: { erp: side(field('no'), field('name')), crm: side(none, field('fullName')) },
  'ITEM-PRODUCT': { erp: side(field('no'), field('description')), crm: side(field('productNumber'), field('name')) },
  'RESOURCE-PRODUCT': { erp: side(field('no'), field('name')), crm: side(field('productNumber'), field('name')) },
  'CUSTPRCGRP-PRICE': { erp: side(field('code'), field('description')), crm: side(field('name'), field('name')) },
  'SALESPRC-PRODPRICE': {
    erp: side(
      (r) => `${r.salesCode}/${r.itemNo}`,
      (r) => `${r.salesCode} ${r.itemNo} ${r.minimumQuantity}`,
    ),
    crm: side(field('id'), none),
  },
  OPPORTUNITY: { erp: side(field('no'), field('description')), crm: side(none, field('name')) },
  'POSTEDSALESINV-INV': { erp: side(field('no'), none), crm: side(field('invoiceNumber'), field('name')) },
  'POSTEDSALESLINE-INV': {
    erp: side((r) => `${r.documentNo}/${r.lineNo}`, field('description')),
    crm: side((r) => `${r.invoiceId}/${r.lineItemNumber}`, field('productDescription')),
  },
  'SALESORDER-ORDER': { erp: side(field('no'), field('externalDocumentNo')), crm: side(field('orderNumber'), field('name')) },
};

export interface RecordIdentity {
  /** The code or No. other records refer to this one by. */
  readonly number: string;
  /** What the unified list is ordered by. */
  readonly sortKey: string;
  /** Lower-cased number and name, for text search. */
  readonly searchText: string;
  /** The references the index keeps (see record-references.ts). */
  readonly references: string;
}

export function identityOf(mappingName: string, system: SystemName, record: DomainRecord): RecordIdentity {
  const identity = identities[mappingName]?.[system];
  if (!identity) throw new Error(`No record identity for mapping ${mappingName}`);
  const number = identity.number(record);
  const name = identity.name(record);
  return {
    number: number.slice(0, 100),
    sortKey: (number || name).slice(0, 200),
    searchText: `${number} ${name}`.trim().toLowerCase(),
    references: referencesOf(mappingName, system, record),
  };
}
