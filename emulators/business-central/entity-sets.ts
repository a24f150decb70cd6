/** A Business Central API v2.0 entity set the ERP side maps. */
export interface BcEntitySet {
  /** The property that is unique within the company (a number or a code). */
  readonly naturalKey?: 'number' | 'code';
  /** Prefix of numbers the number series gives. */
  readonly numberPrefix?: string;
  /** The lines entity set of a document. */
  readonly lines?: string;
  /** The document entity set of a lines entity set. */
  readonly document?: string;
  /** Whether `/subscriptions` accepts it (the documented list of webhook-supported entities). */
  readonly webhooks: boolean;
}

/**
 * Names as the v2.0 API spells them. Salespeople are `salespeoplePurchasers`
 * (https://learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/resources/dynamics_salespersonpurchaser);
 * contacts and salespeople are not among the webhook-supported entities
 * (https://learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/dynamics-subscriptions).
 */
export const BC_ENTITY_SETS: Readonly<Record<string, BcEntitySet>> = {
  customers: { naturalKey: 'number', numberPrefix: 'C', webhooks: true },
  contacts: { naturalKey: 'number', numberPrefix: 'CT', webhooks: false },
  items: { naturalKey: 'number', numberPrefix: 'I', webhooks: true },
  salespeoplePurchasers: { naturalKey: 'code', webhooks: false },
  currencies: { naturalKey: 'code', webhooks: true },
  unitsOfMeasure: { naturalKey: 'code', webhooks: true },
  salesOrders: { naturalKey: 'number', numberPrefix: 'SO', lines: 'salesOrderLines', webhooks: true },
  salesOrderLines: { document: 'salesOrders', webhooks: false },
  salesInvoices: { naturalKey: 'number', numberPrefix: 'SI', lines: 'salesInvoiceLines', webhooks: true },
  salesInvoiceLines: { document: 'salesInvoices', webhooks: false },
};
