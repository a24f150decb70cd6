/**
 * Business numbers of the customer-dependent records. They derive from the customer's number, so a
 * chunk numbers its records without knowing how many earlier chunks wrote, and a contact, an
 * opportunity or an invoice tells at a glance which customer it belongs to.
 */
export class DemoNumbers {
  /** Digits of a customer number: five, or more when the count needs them (C00001 … C1000000). */
  readonly width: number;

  constructor(customers: number) {
    this.width = Math.max(5, String(customers).length);
  }

  private digits(customerIndex: number): string {
    return String(customerIndex + 1).padStart(this.width, '0');
  }

  customer(index: number): string {
    return `C${this.digits(index)}`;
  }

  companyContact(customerIndex: number): string {
    return `CT${this.digits(customerIndex)}`;
  }

  personContact(customerIndex: number, person: number): string {
    return `CT${this.digits(customerIndex)}-${person}`;
  }

  /** A private person the customer's company is not recorded for. */
  privateContact(customerIndex: number): string {
    return `CP${this.digits(customerIndex)}`;
  }

  opportunity(customerIndex: number, sequence: number): string {
    return `OP${this.digits(customerIndex)}-${sequence}`;
  }

  postedInvoice(customerIndex: number, sequence: number): string {
    return `SI${this.digits(customerIndex)}-${sequence}`;
  }

  crmOrder(customerIndex: number): string {
    return `ORD-${this.digits(customerIndex)}`;
  }
}
