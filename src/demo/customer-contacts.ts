import { Contact as CrmContact, ContactState, CustomerLookupType } from '../../entities/crm/contact.entity';
import { Contact as ErpContact, ContactType } from '../../entities/erp/contact.entity';
import { driftApart, rollSyncCase, syncedToCrm } from './couplings';
import { type ChunkContext, CrmPresence, type CustomerPair, jobTitle, mailAddress } from './chunk-context';
import { ERP_DEMO_USER } from './sales-team';

export interface PersonContact {
  readonly erp: ErpContact;
  /** The coupled CRM contact; null when the person is not coupled. */
  readonly coupledCrmId: string | null;
}

export interface CustomerContacts {
  readonly companyNo: string;
  readonly persons: readonly PersonContact[];
}

interface NewPerson {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string;
  readonly jobTitle: string;
}

/**
 * The customer's company contact and one to three persons working there; in the CRM, the persons of
 * coupled accounts (most of them coupled) and of uncoupled twins, now and then one person only the
 * CRM knows, and now and then a private person the ERP keeps without a company.
 */
export function buildCustomerContacts(ctx: ChunkContext, pair: CustomerPair): CustomerContacts {
  const { random, numbers, erp } = ctx;
  const { customer, account } = pair;
  const companyNo = numbers.companyContact(pair.index);
  erp.add(ErpContact, {
    systemId: ctx.ids.of('erp.contact', companyNo),
    no: companyNo,
    name: customer.name,
    type: ContactType.COMPANY,
    companyNo: null,
    customerNo: customer.no,
    jobTitle: null,
    email: customer.email,
    phoneNo: customer.phoneNo,
    salespersonCode: customer.salespersonCode,
    modifiedAt: random.daysBeforeBase(30, 720),
    modifiedBy: ERP_DEMO_USER,
  });

  const persons: PersonContact[] = [];
  const personCount = random.weighted([
    [1, 40],
    [2, 35],
    [3, 25],
  ] as const);
  for (let sequence = 1; sequence <= personCount; sequence += 1) {
    const person = newPerson(ctx, pair.mailDomain);
    const contact = erpPerson(ctx, numbers.personContact(pair.index, sequence), person, companyNo, customer.salespersonCode);
    let coupledCrmId: string | null = null;
    if (account && pair.presence === CrmPresence.COUPLED && random.chance(0.94)) {
      coupledCrmId = coupleCrmPerson(ctx, contact, person, account.id, pair);
    } else if (account && pair.presence === CrmPresence.UNCOUPLED_TWIN) {
      ctx.crm.add(CrmContact, crmPerson(ctx, `twin/${contact.no}`, person, account.id, pair.ownerId, random.daysBeforeBase(30, 720), pair.ownerId));
    }
    persons.push({ erp: contact, coupledCrmId });
  }
  if (account && pair.presence === CrmPresence.COUPLED && random.chance(0.05)) {
    addCrmOnlyContact(ctx, `extra/${customer.no}`, account.id, pair.ownerId, pair.mailDomain);
  }
  if (random.chance(0.03)) {
    const person = newPerson(ctx, 'mail.example');
    erpPerson(ctx, numbers.privateContact(pair.index), person, null, customer.salespersonCode);
  }
  return { companyNo, persons };
}

/** A contact entered in the CRM only: at an account, or (parentAccountId null) at none. */
export function addCrmOnlyContact(ctx: ChunkContext, key: string, parentAccountId: string | null, ownerId: string, mailDomain: string): string {
  const contact = crmPerson(ctx, key, newPerson(ctx, mailDomain), parentAccountId, ownerId, ctx.random.daysBeforeBase(1, 720), ownerId);
  ctx.crm.add(CrmContact, contact);
  return contact.id;
}

function newPerson(ctx: ChunkContext, mailDomain: string): NewPerson {
  const { faker } = ctx.random;
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    firstName,
    lastName,
    email: mailAddress(`${firstName}.${lastName}`, mailDomain),
    phone: faker.phone.number({ style: 'national' }),
    jobTitle: jobTitle(ctx.random),
  };
}

function erpPerson(ctx: ChunkContext, no: string, person: NewPerson, companyNo: string | null, salespersonCode: string | null): ErpContact {
  const contact: ErpContact = {
    systemId: ctx.ids.of('erp.contact', no),
    no,
    name: `${person.firstName} ${person.lastName}`,
    type: ContactType.PERSON,
    companyNo,
    customerNo: null,
    jobTitle: person.jobTitle,
    email: person.email,
    phoneNo: person.phone,
    salespersonCode,
    modifiedAt: ctx.random.daysBeforeBase(30, 720),
    modifiedBy: ERP_DEMO_USER,
  };
  ctx.erp.add(ErpContact, contact);
  return contact;
}

function crmPerson(ctx: ChunkContext, key: string, person: NewPerson, parentAccountId: string | null, ownerId: string, modifiedAt: Date, modifiedBy: string): CrmContact {
  return {
    id: ctx.ids.of('crm.contact', key),
    firstName: person.firstName,
    lastName: person.lastName,
    fullName: `${person.firstName} ${person.lastName}`,
    parentCustomerId: parentAccountId,
    parentCustomerType: parentAccountId ? CustomerLookupType.ACCOUNT : null,
    jobTitle: person.jobTitle,
    emailAddress1: person.email,
    telephone1: person.phone,
    ownerId,
    stateCode: ContactState.ACTIVE,
    modifiedAt,
    modifiedBy,
  };
}

function coupleCrmPerson(ctx: ChunkContext, contact: ErpContact, person: NewPerson, accountId: string, pair: CustomerPair): string {
  const { ownerId, mailDomain } = pair;
  const { random, team } = ctx;
  const syncCase = rollSyncCase(random);
  let times = syncedToCrm(random, contact.modifiedAt);
  const crmContact = crmPerson(ctx, contact.no, person, accountId, ownerId, times.crmModifiedAt, team.integrationUserId);
  const field = random.pick(['phone', 'jobTitle', 'email'] as const);
  times = driftApart(random, syncCase, times, {
    erp: contact,
    crm: crmContact,
    crmEditorId: ownerId,
    changeErp: () => {
      if (field === 'phone') contact.phoneNo = random.faker.phone.number({ style: 'national' });
      else if (field === 'jobTitle') contact.jobTitle = jobTitle(random);
      else contact.email = mailAddress(`${person.lastName}.${person.firstName}`, mailDomain);
    },
    changeCrm: () => {
      if (field === 'phone') crmContact.telephone1 = random.faker.phone.number({ style: 'national' });
      else if (field === 'jobTitle') crmContact.jobTitle = `Senior ${jobTitle(random)}`;
      else crmContact.emailAddress1 = mailAddress(`${person.firstName.slice(0, 1)}${person.lastName}`, mailDomain);
    },
  });
  ctx.crm.add(CrmContact, crmContact);
  ctx.coupler.couple('CONTACT', { id: contact.systemId, record: contact }, { id: crmContact.id, record: crmContact }, times, syncCase);
  return crmContact.id;
}
