import { SystemUser } from '../../entities/crm/system-user.entity';
import { SalespersonPurchaser } from '../../entities/erp/salesperson-purchaser.entity';
import { Coupler, syncedToErp } from './couplings';
import type { DemoIds, DemoRandom } from './random-company';
import type { StoreBatch } from './store-batch';

export const DEMO_EMAIL_DOMAIN = 'cronus.example';
export const ERP_DEMO_USER = 'DEMO';

export interface SalespersonRef {
  readonly code: string;
  /** The CRM user the salesperson is coupled to; null for ERP-only salespeople. */
  readonly crmUserId: string | null;
}

export interface SalesTeam {
  /** The CRM's administrator: modifies the reference data, owns no customers. */
  readonly adminUserId: string;
  /** The account the gateway writes to the CRM as. */
  readonly integrationUserId: string;
  /** Enabled, licensed people: they own and edit the CRM-only records. */
  readonly crmUserIds: readonly string[];
  readonly coupledSalespeople: readonly SalespersonRef[];
  readonly erpOnlySalespeople: readonly SalespersonRef[];
}

interface Person {
  readonly fullName: string;
  readonly email: string;
}

/** One CRM user per 25 customers (5 to 200), most of them coupled to an ERP salesperson. */
export function buildSalesTeam(random: DemoRandom, ids: DemoIds, customers: number, erp: StoreBatch, crm: StoreBatch, coupler: Coupler): SalesTeam {
  const people = new PeopleDirectory(random);
  const salespersonCodes = new Set<string>();
  const activeCount = Math.min(200, Math.max(5, Math.ceil(customers / 25)));
  const adminUserId = ids.of('crm.system_user', 'admin');

  const addUser = (key: string, person: Person, flags: { isDisabled?: boolean; isLicensed?: boolean; isIntegrationUser?: boolean }): SystemUser => {
    const user: SystemUser = {
      id: key === 'admin' ? adminUserId : ids.of('crm.system_user', key),
      fullName: person.fullName,
      domainName: person.email,
      internalEmailAddress: person.email,
      isDisabled: flags.isDisabled ?? false,
      isLicensed: flags.isLicensed ?? true,
      isIntegrationUser: flags.isIntegrationUser ?? false,
      modifiedAt: random.daysBeforeBase(420, 700),
      modifiedBy: adminUserId,
    };
    crm.add(SystemUser, user);
    return user;
  };

  const addSalesperson = (person: Person, blocked: boolean, modifiedAt: Date): SalespersonPurchaser => {
    const code = uniqueCode(person.fullName, salespersonCodes);
    const salesperson: SalespersonPurchaser = {
      systemId: ids.of('erp.salesperson_purchaser', code),
      code,
      name: person.fullName.slice(0, 50),
      email: person.email,
      phoneNo: random.faker.phone.number({ style: 'national' }),
      blocked,
      modifiedAt,
      modifiedBy: ERP_DEMO_USER,
    };
    erp.add(SalespersonPurchaser, salesperson);
    return salesperson;
  };

  addUser('admin', people.next(), {});
  addUser('integration', { fullName: '# ERP Integration', email: `integration@${DEMO_EMAIL_DOMAIN}` }, { isIntegrationUser: true });

  const crmUserIds: string[] = [];
  const coupledSalespeople: SalespersonRef[] = [];
  for (let index = 1; index < activeCount; index += 1) {
    const person = people.next();
    const user = addUser(`user-${index}`, person, {});
    crmUserIds.push(user.id);
    // Every tenth user has no salesperson yet: an uncoupled CRM user.
    if (index % 10 === 5) continue;
    // Salespeople come from the CRM (SALESPEOPLE syncs CRM → ERP).
    const times = syncedToErp(random, user.modifiedAt);
    const salesperson = addSalesperson(person, false, times.erpModifiedAt);
    coupler.couple('SALESPEOPLE', { id: salesperson.systemId, record: salesperson }, { id: user.id, record: user }, times);
    coupledSalespeople.push({ code: salesperson.code, crmUserId: user.id });
  }
  for (let index = 0; index < 2; index += 1) addUser(`disabled-${index}`, people.next(), { isDisabled: true });
  for (let index = 0; index < 2; index += 1) addUser(`unlicensed-${index}`, people.next(), { isLicensed: false });

  const erpOnlySalespeople: SalespersonRef[] = [];
  const erpOnlyCount = Math.max(2, Math.round(activeCount * 0.05));
  for (let index = 0; index < erpOnlyCount; index += 1) {
    const salesperson = addSalesperson(people.next(), index === erpOnlyCount - 1, random.daysBeforeBase(420, 700));
    erpOnlySalespeople.push({ code: salesperson.code, crmUserId: null });
  }

  return {
    adminUserId,
    integrationUserId: ids.of('crm.system_user', 'integration'),
    crmUserIds,
    coupledSalespeople,
    erpOnlySalespeople,
  };
}

/** Hands out people with unique company e-mail addresses. */
class PeopleDirectory {
  private readonly emails = new Set<string>();

  constructor(private readonly random: DemoRandom) {}

  next(): Person {
    const first = this.random.faker.person.firstName();
    const last = this.random.faker.person.lastName();
    const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    let email = `${local}@${DEMO_EMAIL_DOMAIN}`;
    for (let suffix = 2; this.emails.has(email); suffix += 1) email = `${local}${suffix}@${DEMO_EMAIL_DOMAIN}`;
    this.emails.add(email);
    return { fullName: `${first} ${last}`, email };
  }
}

/** Business Central style salesperson code from the initials, e.g. "Jane Doe" → "JDOE", "JDOE2". */
function uniqueCode(fullName: string, taken: Set<string>): string {
  const [first = '', ...rest] = fullName
    .toUpperCase()
    .replace(/[^A-Z ]/g, '')
    .split(' ');
  const stem = `${first.slice(0, 1)}${rest.join('').slice(0, 7)}` || 'SP';
  let code = stem;
  for (let suffix = 2; taken.has(code); suffix += 1) code = `${stem}${suffix}`;
  taken.add(code);
  return code;
}
