import fc from 'fast-check';

/*
 * Small random worlds for the CUSTOMER mapping: salespeople and users, customers and accounts,
 * couplings, and what happened since the last synchronisation on either side.
 */

/** The fields both systems edit; a side's edit is the fields it changed since the last synchronisation. */
export type EditedField = 'name' | 'phone' | 'email' | 'city';
export type Edit = readonly EditedField[];
export const EDITABLE: readonly EditedField[] = ['name', 'phone', 'email', 'city'];

export interface WorldCustomer {
  readonly no: string;
  readonly name: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly city: string | null;
  readonly creditLimit: number;
  /** Index into the world's salespeople, or null. */
  readonly salesperson: number | null;
  readonly paymentTerms: '30D' | 'COD' | null;
}

export interface WorldAccount {
  readonly name: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly city: string | null;
  readonly relationship: 'CUSTOMER' | 'VENDOR';
  readonly active: boolean;
  /** The user who last wrote it: a salesperson's user, or the integration user. */
  readonly byIntegrationUser: boolean;
}

export interface WorldPair {
  readonly customer: WorldCustomer;
  readonly account: WorldAccount;
  readonly erpEdit: Edit;
  readonly crmEdit: Edit;
  readonly crmEditByIntegrationUser: boolean;
  readonly accountDeleted: boolean;
  /** Whether the coupling keeps its fields' last synchronised values (else it was synchronised before they were kept). */
  readonly keepsValues: boolean;
}

export interface World {
  /** Whether each salesperson is coupled to a CRM user. */
  readonly salespeople: readonly boolean[];
  readonly pairs: readonly WorldPair[];
  readonly erpOnly: readonly WorldCustomer[];
  readonly crmOnly: readonly WorldAccount[];
  readonly fullRun: boolean;
  /** The mapping's setting; a full run creates and couples whatever it says. */
  readonly syncOnlyCoupledRecords: boolean;
  readonly conflictPolicy: 'NONE' | 'ERP_WINS' | 'CRM_WINS';
}

const text = (prefix: string) => fc.integer({ min: 1, max: 99 }).map((n) => `${prefix} ${n}`);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const edit: fc.Arbitrary<Edit> = fc.subarray([...EDITABLE]);

export function worlds(): fc.Arbitrary<World> {
  return fc.integer({ min: 1, max: 3 }).chain((salespeopleCount) => {
    const customer = fc.record({
      no: fc.constant(''),
      name: text('Company'),
      phone: maybe(text('+45')),
      email: maybe(text('mail')),
      city: maybe(text('City')),
      creditLimit: fc.integer({ min: 0, max: 9 }).map((n) => n * 1000),
      salesperson: maybe(fc.integer({ min: 0, max: salespeopleCount - 1 })),
      paymentTerms: fc.constantFrom<'30D' | 'COD' | null>('30D', 'COD', null),
    });
    const account = fc.record({
      name: text('Account'),
      phone: maybe(text('+46')),
      email: maybe(text('post')),
      city: maybe(text('Town')),
      relationship: fc.constantFrom<'CUSTOMER' | 'VENDOR'>('CUSTOMER', 'CUSTOMER', 'VENDOR'),
      active: fc.boolean(),
      byIntegrationUser: fc.boolean(),
    });
    const pair = fc.record({
      customer,
      account: account.map((a) => ({ ...a, relationship: 'CUSTOMER' as const, active: true, byIntegrationUser: true })),
      erpEdit: edit,
      crmEdit: edit,
      crmEditByIntegrationUser: fc.boolean(),
      accountDeleted: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
      keepsValues: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    });
    return fc.record({
      salespeople: fc.array(fc.boolean(), { minLength: salespeopleCount, maxLength: salespeopleCount }),
      pairs: fc.array(pair, { maxLength: 4 }),
      erpOnly: fc.array(customer, { maxLength: 3 }),
      crmOnly: fc.array(account, { maxLength: 3 }),
      fullRun: fc.boolean(),
      syncOnlyCoupledRecords: fc.boolean(),
      conflictPolicy: fc.constantFrom<'NONE' | 'ERP_WINS' | 'CRM_WINS'>('NONE', 'ERP_WINS', 'CRM_WINS'),
    });
  });
}
