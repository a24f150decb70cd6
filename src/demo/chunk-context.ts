import type { Account } from '../../entities/crm/account.entity';
import type { Customer } from '../../entities/erp/customer.entity';
import type { Catalog } from './catalog';
import type { Coupler } from './couplings';
import type { DemoNumbers } from './demo-numbers';
import type { DemoIds, DemoRandom } from './random-company';
import type { CurrencyRef, PaymentTermsRef, ReferenceData } from './reference-data';
import type { SalesTeam } from './sales-team';
import type { StoreBatch } from './store-batch';

/** What the builders of one chunk of customers read and where they put the rows. */
export interface ChunkContext {
  readonly random: DemoRandom;
  readonly ids: DemoIds;
  readonly numbers: DemoNumbers;
  readonly customers: number;
  readonly team: SalesTeam;
  readonly reference: ReferenceData;
  readonly catalog: Catalog;
  readonly erp: StoreBatch;
  readonly crm: StoreBatch;
  readonly coupler: Coupler;
}

/** How an ERP customer exists in the CRM. */
export enum CrmPresence {
  COUPLED = 'COUPLED',
  ERP_ONLY = 'ERP_ONLY',
  /** The same company was entered in the CRM by hand and never coupled: a candidate for match-based coupling. */
  UNCOUPLED_TWIN = 'UNCOUPLED_TWIN',
}

export interface CustomerPair {
  readonly index: number;
  readonly customer: Customer;
  readonly presence: CrmPresence;
  /** The coupled account or the uncoupled twin; null when the customer is ERP-only. */
  readonly account: Account | null;
  /** Owner of the customer's CRM records: the CRM user coupled to its salesperson. */
  readonly ownerId: string;
  readonly currency: CurrencyRef | null;
  readonly paymentTerms: PaymentTermsRef | null;
  /** Where CRM documents of the customer take their prices from. */
  readonly priceLevelId: string;
  /** The mail domain of the customer's company. */
  readonly mailDomain: string;
}

const jobTitles = [
  'Purchasing Manager',
  'Buyer',
  'Chief Executive Officer',
  'Chief Financial Officer',
  'Accountant',
  'Sales Manager',
  'Warehouse Manager',
  'IT Manager',
  'Office Manager',
  'Operations Director',
  'Project Manager',
  'Logistics Coordinator',
];

export function jobTitle(random: DemoRandom): string {
  return random.pick(jobTitles);
}

/** An e-mail address a person or a department of the company would have. */
export function mailAddress(localPart: string, domain: string): string {
  return `${localPart.toLowerCase().replace(/[^a-z0-9.]/g, '')}@${domain}`.slice(0, 80);
}
