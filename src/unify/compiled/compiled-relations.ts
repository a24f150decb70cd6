import type { UnifiedTypeName } from '../unified-types';

/**
 * A related record found the way `UnifiedRecords.related` finds it: by the referring record's ERP
 * code when it has an ERP side, else by its CRM side's key.
 */
export interface ToOneRelation {
  readonly kind: 'one';
  readonly target: UnifiedTypeName;
  /** The referring ERP record's field holding the target's code. */
  readonly erpRef: string;
  /** The referring CRM record's field holding the target's CRM key. */
  readonly crmRef: string;
}

/**
 * Related records from both sides, each coupled pair once, the way `UnifiedRecords.relatedMany`
 * unifies them: the ERP records first, then the CRM ones.
 */
export interface ToManyRelation {
  readonly kind: 'many';
  readonly target: UnifiedTypeName;
  /** ERP records whose `field` holds the referring ERP record's `parentField`, in key order. */
  readonly erp: {
    readonly field: string;
    readonly parentField: string;
    /** When the records hang off an intermediate ERP record of the same table (a customer's company contact). */
    readonly through?: { readonly field: string; readonly parentField: string };
  };
  /** CRM records whose `field` holds the referring CRM record's key, in key order. */
  readonly crm: { readonly field: string };
}

export type CompiledRelation = ToOneRelation | ToManyRelation;

/**
 * The relation fields a compiled read resolves inside its statement; each says what its field
 * resolver (resolvers/*.resolver.ts) does through the loaders, and the differential test holds the
 * two equal. A selection with any other relation is read through the loaders.
 */
export const compiledRelations: Partial<Record<UnifiedTypeName, Readonly<Record<string, CompiledRelation>>>> = {
  Customer: {
    salesperson: { kind: 'one', target: 'Salesperson', erpRef: 'salespersonCode', crmRef: 'ownerId' },
    currency: { kind: 'one', target: 'Currency', erpRef: 'currencyCode', crmRef: 'transactionCurrencyId' },
    contacts: {
      kind: 'many',
      target: 'Contact',
      erp: { field: 'companyNo', parentField: 'no', through: { field: 'customerNo', parentField: 'no' } },
      crm: { field: 'parentCustomerId' },
    },
    opportunities: { kind: 'many', target: 'Opportunity', erp: { field: 'customerNo', parentField: 'no' }, crm: { field: 'parentAccountId' } },
    invoices: { kind: 'many', target: 'Invoice', erp: { field: 'sellToCustomerNo', parentField: 'no' }, crm: { field: 'customerId' } },
  },
  Contact: {
    salesperson: { kind: 'one', target: 'Salesperson', erpRef: 'salespersonCode', crmRef: 'ownerId' },
  },
};
