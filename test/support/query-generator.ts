/*
 * Random selections of unified records for differential tests: fields, sides, couplings,
 * relations, fragments and aliases, filters, written as GraphQL text.
 */

export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const coupling = ['erpId', 'crmId', 'coupledAt', 'lastSyncedAt', 'lastSyncedErpModifiedAt', 'lastSyncedCrmModifiedAt', 'lastResult', 'lastError'];

export interface Shape {
  readonly scalars: readonly string[];
  readonly erp: readonly string[];
  readonly crm: readonly string[];
  readonly relations: Readonly<Record<string, () => Shape>>;
}

export const salesperson: Shape = {
  scalars: ['id', 'name', 'email', 'syncState', '__typename'],
  erp: ['systemId', 'code', 'name', 'email', 'phoneNo', 'blocked', 'modifiedAt'],
  crm: ['id', 'fullName', 'domainName', 'internalEmailAddress', 'isDisabled', 'modifiedAt'],
  relations: {},
};
const currency: Shape = {
  scalars: ['id', 'isoCode', 'name', 'symbol', 'exchangeRate', 'syncState'],
  erp: ['systemId', 'code', 'description', 'isoCode', 'exchangeRate', 'modifiedAt'],
  crm: ['id', 'isoCurrencyCode', 'currencyName', 'exchangeRate', 'currencyPrecision'],
  relations: {},
};
export const contact: Shape = {
  scalars: ['id', 'name', 'email', 'phone', 'jobTitle', 'syncState'],
  erp: ['systemId', 'no', 'name', 'type', 'companyNo', 'email', 'salespersonCode', 'modifiedAt', 'modifiedBy'],
  crm: ['id', 'fullName', 'lastName', 'parentCustomerId', 'parentCustomerType', 'ownerId', 'stateCode', 'modifiedAt'],
  relations: { salesperson: () => salesperson },
};
const opportunity: Shape = {
  scalars: ['id', 'name', 'estimatedValue', 'estimatedCloseDate', 'probability', 'syncState'],
  erp: ['no', 'description', 'status', 'estimatedValueLcy', 'estimatedClosingDate', 'probabilityPct'],
  crm: ['id', 'name', 'estimatedValue', 'estimatedCloseDate', 'closeProbability', 'stateCode'],
  relations: {},
};
const invoice: Shape = {
  scalars: ['id', 'number', 'totalAmount', 'amount', 'postingDate', 'dueDate', 'syncState'],
  erp: ['no', 'sellToCustomerNo', 'postingDate', 'amount', 'amountIncludingVat'],
  crm: ['id', 'invoiceNumber', 'totalAmount', 'dateDelivered', 'stateCode'],
  relations: {},
};
export const customer: Shape = {
  scalars: ['id', 'number', 'name', 'address', 'city', 'postCode', 'country', 'phone', 'email', 'creditLimit', 'syncState', '__typename'],
  erp: ['systemId', 'no', 'name', 'phoneNo', 'salespersonCode', 'currencyCode', 'creditLimitLcy', 'blocked', 'modifiedAt', 'modifiedBy'],
  crm: ['id', 'name', 'accountNumber', 'telephone1', 'ownerId', 'transactionCurrencyId', 'customerTypeCode', 'creditLimit', 'modifiedAt'],
  relations: { salesperson: () => salesperson, currency: () => currency, contacts: () => contact, opportunities: () => opportunity, invoices: () => invoice },
};

export class Generator {
  constructor(readonly next: () => number) {}

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]!;
  }

  some(values: readonly string[], chance = 0.4): string[] {
    const chosen = values.filter(() => this.next() < chance);
    return chosen.length > 0 ? chosen : [this.pick(values)];
  }

  /** A random selection of a record; `depth` limits nested relations. */
  selection(shape: Shape, depth: number): string {
    const parts = this.some(shape.scalars);
    if (this.next() < 0.6) parts.push(`erp { ${this.some(shape.erp).join(' ')} }`);
    if (this.next() < 0.6) parts.push(`crm { ${this.some(shape.crm).join(' ')} }`);
    if (this.next() < 0.3) parts.push(`coupling { ${this.some(coupling).join(' ')} }`);
    if (depth > 0) {
      for (const [field, target] of Object.entries(shape.relations)) {
        if (this.next() < 0.45) parts.push(`${field} { ${this.selection(target(), depth - 1)} }`);
      }
    }
    // Fragments and aliases must read the same as plain fields.
    if (this.next() < 0.2) parts.push(`... on ${shape === customer ? 'Customer' : shape === contact ? 'Contact' : 'Node'} { id }`);
    if (this.next() < 0.15 && shape.relations.salesperson) parts.push(`otherSalesperson: salesperson { id name }`);
    return parts.join(' ');
  }

  filter(): string {
    const conditions: string[] = [];
    const coupled = this.pick([null, null, true, false]);
    if (coupled !== null) conditions.push(`coupled: ${coupled}`);
    if (this.next() < 0.25) conditions.push(`syncState: ${this.pick(['IN_SYNC', 'PENDING', 'CONFLICT', 'UNCOUPLED', 'SKIPPED', 'FAILED'])}`);
    if (this.next() < 0.2) conditions.push(`search: ${JSON.stringify(this.pick(['a', 'er', 'C0', 'in', '%', 'x_y', 'zzzz']))}`);
    if (this.next() < 0.15) conditions.push(`modifiedSince: "2000-01-01T00:00:00.000Z"`);
    return conditions.length ? `, filter: { ${conditions.join(', ')} }` : '';
  }
}
