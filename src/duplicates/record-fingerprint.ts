import type { SystemName, DomainRecord } from '../connectors/system-connector';

/** A mapped field pair, as the duplicate review reads a field mapping. */
export interface FieldPair {
  readonly erpField: string | null;
  readonly crmField: string;
  readonly matchField: boolean;
  readonly enabled: boolean;
}

/** What two records are compared by: each part normalised, empty when the record has none. */
export interface Fingerprint {
  readonly name: string;
  /** The last eight digits of the phone number, when it has at least seven. */
  readonly phone: string;
  readonly emailDomain: string;
  readonly address: string;
  /** The mapping's match fields, trimmed and lower-cased; null when one is empty. */
  readonly criteria: string | null;
}

/** Which ERP fields play which part; the CRM side's are found through the mapping's field mappings. */
const NAME_FIELDS = ['name', 'description'];
const PHONE_FIELD = 'phoneNo';
const EMAIL_FIELD = 'email';
const ADDRESS_FIELDS = ['address', 'city', 'postCode'];

/** Legal forms, which say nothing about which company a name means. */
const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'llp',
  'plc',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sarl',
  'sas',
  'bv',
  'nv',
  'srl',
  'spa',
  'ab',
  'as',
  'oy',
  'pty',
]);
const MIN_PHONE_DIGITS = 7;

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** Lower case, accents and punctuation set aside, words single-spaced. */
function plain(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function normalisedName(value: string): string {
  return plain(value)
    .split(' ')
    .filter((word) => word !== '' && !LEGAL_FORMS.has(word))
    .join(' ');
}

export function phoneDigits(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length >= MIN_PHONE_DIGITS ? digits.slice(-8) : '';
}

export function emailDomain(value: string): string {
  const at = value.lastIndexOf('@');
  return at < 0
    ? ''
    : value
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/**
 * How a mapping's records are fingerprinted on each side: the fields playing each part, named in
 * that side's terms. Null when the mapping has neither a name field nor match fields to compare.
 */
export class FingerprintRecipe {
  private constructor(
    private readonly fields: Readonly<
      Record<SystemName, { name: string | null; phone: string | null; email: string | null; address: readonly string[]; criteria: readonly string[] }>
    >,
  ) {}

  static of(pairs: readonly FieldPair[]): FingerprintRecipe | null {
    const mapped = pairs.filter((pair) => pair.enabled && pair.erpField !== null);
    const find = (erpFields: readonly string[]) => erpFields.flatMap((field) => mapped.filter((pair) => pair.erpField === field));
    const side = (system: SystemName, found: readonly FieldPair[]) => found.map((pair) => (system === 'erp' ? pair.erpField! : pair.crmField));
    const name = find(NAME_FIELDS)[0] ?? null;
    const phone = find([PHONE_FIELD])[0] ?? null;
    const email = find([EMAIL_FIELD])[0] ?? null;
    const address = find(ADDRESS_FIELDS);
    const criteria = mapped.filter((pair) => pair.matchField);
    if (!name && criteria.length === 0) return null;
    const of = (system: SystemName) => ({
      name: name && side(system, [name])[0]!,
      phone: phone && side(system, [phone])[0]!,
      email: email && side(system, [email])[0]!,
      address: side(system, address),
      criteria: side(system, criteria),
    });
    return new FingerprintRecipe({ erp: of('erp'), crm: of('crm') });
  }

  fingerprint(system: SystemName, record: DomainRecord): Fingerprint {
    const fields = this.fields[system];
    const criteria = fields.criteria.map((field) => text(record[field]).trim().toLowerCase());
    return {
      name: fields.name ? normalisedName(text(record[fields.name])) : '',
      phone: fields.phone ? phoneDigits(text(record[fields.phone])) : '',
      emailDomain: fields.email ? emailDomain(text(record[fields.email])) : '',
      address: plain(fields.address.map((field) => text(record[field])).join(' ')),
      criteria: criteria.length === 0 || criteria.some((value) => value === '') ? null : JSON.stringify(criteria),
    };
  }
}
