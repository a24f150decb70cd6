import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import type { DomainRecord, RecordRead, SystemConnector, SystemName } from '../connectors/system-connector';
import { parseReferences } from '../../entities/integration/record-references';
import { linkKey, type CountStatement, type LinkKey, type PageRead, type SqlStatement } from '../loaders/integration.loaders';
import type { RelatedLinks } from '../loaders/related-links';
import type { RecordLoaders } from '../loaders/record.loaders';
import type { RequestLoaders } from '../loaders/request-loaders';
import type { CompiledRelation } from './compiled/compiled-relations';
import type { RecordSelection } from './compiled/record-selection';
import type { UnifiedListPage } from './unified-list.service';
import { unifiedType, type UnifiedType } from './unified-types';

/**
 * One system's reads for a page, sent together once planned; each answered read primes the
 * request's loaders the way loading its records one relation at a time would have filled them.
 */
class SideReads {
  private readonly reads: RecordRead[] = [];
  private results: DomainRecord[][] = [];

  constructor(
    private readonly connector: SystemConnector,
    private readonly loaders: RecordLoaders,
  ) {}

  /** Plans a read; its number, for `records` and for reads that take their values from it. */
  add(tableName: string, field: string, values: RecordRead['values']): number {
    return this.reads.push({ table: this.connector.table(tableName), field, values }) - 1;
  }

  keyField(tableName: string): string {
    return this.connector.table(tableName).keyField;
  }

  records(read: number): readonly DomainRecord[] {
    return this.results[read] ?? [];
  }

  async run(): Promise<void> {
    this.results = await this.connector.readTogether(this.reads);
    this.reads.forEach((read, index) => {
      const records = this.results[index]!;
      this.loaders.primeKeys(read.table, records);
      if (read.field === read.table.keyField) return;
      const values = 'from' in read.values ? distinctValues(this.results[read.values.from]!, read.values.field) : read.values;
      this.loaders.primeField(read.table, read.field, values, records);
    });
  }
}

function distinctValues(records: readonly DomainRecord[], field: string): unknown[] {
  return [...new Set(records.map((record) => record[field]).filter((value) => value !== null && value !== undefined))];
}

/**
 * Reads a page's records and the related records its selection names before the resolvers ask
 * for them, for pages read through the loaders (the stores are separate databases, where nothing
 * joins across them): one statement to the integration store for the page's links, their related
 * records' links (found by the references the index keeps), the field mappings and the count;
 * then one to the ERP and one to the CRM (each relation joined to the page's records inside its
 * system). The resolvers then find everything in the request's loaders.
 *
 * The index may lag the systems (a record written straight into the ERP): every related record's
 * key the records read actually hold must have been looked up by the first statement, found or
 * known absent; the keys it did not look up are read in one more statement, so no answer depends
 * on the index being current. A related record's other side that is not among what was read (a
 * salesperson coupled with a CRM user other than the account's owner) is loaded by the loaders as
 * before: the prefetch saves statements, it never decides an answer. Relations of related records
 * are left to the loaders.
 */
export class PagePrefetch {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly loaders: RequestLoaders,
  ) {}

  /**
   * Reads a list's page ahead: `page` is the statement of its rows, `pageOf` the page made of them.
   * With `count`, counts the list in the same integration statement and returns that.
   */
  async list(
    type: UnifiedType,
    page: SqlStatement,
    pageOf: (rows: readonly IntegrationRecord[]) => UnifiedListPage,
    selection: RecordSelection,
    count: CountStatement | null,
  ): Promise<{ page: UnifiedListPage; total: number | null }> {
    const lookups: RelatedLinks[] = [];
    this.lookups(selection, type, -1, lookups);
    const read = await this.loaders.integration.readPage(page, lookups, count);
    const listed = pageOf(read.rows);
    if (listed.links.length === 0) return { page: listed, total: read.total };
    const wanted = await this.readSides(type, listed.links, selection);
    const lookedUp = lookedUpKeys(lookups, read);
    const rest = new Map<string, LinkKey[]>();
    for (const [mappingName, keys] of wanted) {
      const covered = lookedUp.get(mappingName);
      this.loaders.integration.primeLinks(
        mappingName,
        keys.filter((key) => covered?.keys.has(key)),
        covered?.rows ?? [],
      );
      const uncovered = keys.filter((key) => !covered?.keys.has(key));
      if (uncovered.length > 0) rest.set(mappingName, uncovered);
    }
    if (rest.size > 0) await this.loaders.integration.readAhead(rest, null);
    return { page: listed, total: read.total };
  }

  /** Reads ahead for records whose links are in hand; with `count`, counts the list in the same integration statement and returns that. */
  async page(type: UnifiedType, links: readonly IntegrationRecord[], selection: RecordSelection, count: CountStatement | null): Promise<number | null> {
    if (links.length === 0) return null;
    return this.loaders.integration.readAhead(await this.readSides(type, links, selection), count);
  }

  /** Reads the records and their related records from both systems, one statement each; the keys of the links they are looked up by, per mapping. */
  private async readSides(type: UnifiedType, links: readonly IntegrationRecord[], selection: RecordSelection): Promise<Map<string, LinkKey[]>> {
    const erp = new SideReads(this.connectors.erp, this.loaders.erp);
    const crm = new SideReads(this.connectors.crm, this.loaders.crm);
    const page: Referrers = {
      type,
      erp: erp.add(type.erpTable, erp.keyField(type.erpTable), keysOf(links, 'erp')),
      crm: crm.add(type.crmTable, crm.keyField(type.crmTable), keysOf(links, 'crm')),
    };
    const linkKeys: Array<{ mappingName: string; keys: () => LinkKey[] }> = [];
    this.plan(selection, page, erp, crm, linkKeys);
    await Promise.all([erp.run(), crm.run()]);
    const wanted = new Map<string, LinkKey[]>();
    for (const { mappingName, keys } of linkKeys) wanted.set(mappingName, [...(wanted.get(mappingName) ?? []), ...keys()]);
    return wanted;
  }

  /**
   * The index lookups of the relations a selection names, of the links `from` finds (-1: the
   * page's), and of their relations in turn, as `plan` reads the records. A to-many relation's
   * ERP side is found by codes only when the records refer to each other by their codes.
   */
  private lookups(selection: RecordSelection, type: UnifiedType, from: number, lookups: RelatedLinks[]): void {
    for (const { relation, selection: targetSelection } of selection.relations) {
      const target = unifiedType(relation.target)!;
      const { mappingName } = target;
      const through = relation.kind === 'many' ? relation.erp.through : undefined;
      const byCodes = relation.kind === 'many' && relation.erp.parentField === (through ? target : type).erpCodeField && (!through || through.parentField === type.erpCodeField);
      lookups.push(
        relation.kind === 'one'
          ? { kind: 'one', from, mappingName, erpRef: relation.erpRef, crmRef: relation.crmRef }
          : { kind: 'many', from, mappingName, erp: byCodes ? { field: relation.erp.field, through: through?.field ?? null } : null, crm: relation.crm.field },
      );
      this.lookups(targetSelection, target, lookups.length - 1, lookups);
    }
  }

  /**
   * Adds the reads of the relations a selection names, of the records `referrers` reads, and of
   * their relations in turn; and how to find, once read, the keys of the links their records are
   * looked up by. A related record's side that the referring side did not reach (a contact
   * coupled with a person of another company) and its relations are left to the loaders.
   */
  private plan(selection: RecordSelection, referrers: Referrers, erp: SideReads, crm: SideReads, linkKeys: Array<{ mappingName: string; keys: () => LinkKey[] }>): void {
    for (const { relation, selection: targetSelection } of selection.relations) {
      const target = unifiedType(relation.target)!;
      const related = this.relatedReads(relation, target, referrers, erp, crm);
      linkKeys.push({ mappingName: target.mappingName, keys: related.linkKeys });
      this.plan(targetSelection, { type: target, erp: related.erp, crm: related.crm }, erp, crm, linkKeys);
    }
  }

  private relatedReads(relation: CompiledRelation, target: UnifiedType, referrers: Referrers, erp: SideReads, crm: SideReads): Referrers & { linkKeys: () => LinkKey[] } {
    const records = (side: SideReads, read: number | null) => (read === null ? [] : side.records(read));
    if (relation.kind === 'one') {
      // As UnifiedRecords.related: by the ERP side's code when the record has an ERP side, else by the CRM side's reference.
      const byCode = target.erpCodeField && referrers.erp !== null ? erp.add(target.erpTable, target.erpCodeField, { from: referrers.erp, field: relation.erpRef }) : null;
      const byKey = referrers.crm !== null ? crm.add(target.crmTable, crm.keyField(target.crmTable), { from: referrers.crm, field: relation.crmRef }) : null;
      return {
        type: target,
        erp: byCode,
        crm: byKey,
        linkKeys: () => [
          ...references(records(erp, referrers.erp), relation.erpRef).map(linkKey.code),
          ...references(records(crm, referrers.crm), relation.crmRef).map(linkKey.crm),
        ],
      };
    }
    const through = relation.erp.through;
    let parents = referrers.erp;
    if (through && parents !== null) parents = erp.add(target.erpTable, through.field, { from: parents, field: through.parentField });
    const erpRelated = parents === null ? null : erp.add(target.erpTable, relation.erp.field, { from: parents, field: relation.erp.parentField });
    const crmRelated = referrers.crm === null ? null : crm.add(target.crmTable, relation.crm.field, { from: referrers.crm, field: crm.keyField(referrers.type.crmTable) });
    return {
      type: target,
      erp: erpRelated,
      crm: crmRelated,
      linkKeys: () => [
        ...references(records(erp, erpRelated), erp.keyField(target.erpTable)).map(linkKey.erp),
        ...references(records(crm, crmRelated), crm.keyField(target.crmTable)).map(linkKey.crm),
      ],
    };
  }
}

/**
 * The keys each mapping's lookups looked up, with the links they found: a to-one relation's
 * references as the referring links hold them (each found or known absent), a to-many relation's
 * records found.
 */
function lookedUpKeys(lookups: readonly RelatedLinks[], read: PageRead): Map<string, { keys: Set<LinkKey>; rows: IntegrationRecord[] }> {
  const lookedUp = new Map<string, { keys: Set<LinkKey>; rows: IntegrationRecord[] }>();
  lookups.forEach((links, index) => {
    let mapping = lookedUp.get(links.mappingName);
    if (!mapping) lookedUp.set(links.mappingName, (mapping = { keys: new Set(), rows: [] }));
    const found = read.related[index]!;
    mapping.rows.push(...found);
    if (links.kind === 'many') {
      for (const link of found) for (const key of linkKeysOf(link)) mapping.keys.add(key);
      return;
    }
    for (const referrer of links.from < 0 ? read.rows : read.related[links.from]!) {
      if (referrer.erpId) for (const code of parseReferences(referrer.erpRefs).get(links.erpRef) ?? []) mapping.keys.add(linkKey.code(code));
      if (referrer.crmId) for (const key of parseReferences(referrer.crmRefs).get(links.crmRef) ?? []) mapping.keys.add(linkKey.crm(key));
    }
  });
  return lookedUp;
}

/** The keys by which a to-many relation's records look their link up: not its code, which a stale link the lookup did not read may hold too. */
function linkKeysOf(link: IntegrationRecord): LinkKey[] {
  return [...(link.erpId ? [linkKey.erp(link.erpId)] : []), ...(link.crmId ? [linkKey.crm(link.crmId)] : [])];
}

/** Records of a type some reads reach on each side (null: none on that side). */
interface Referrers {
  readonly type: UnifiedType;
  readonly erp: number | null;
  readonly crm: number | null;
}

/** The values of a field the records hold, empty ones left out (they refer to nothing). */
function references(records: readonly DomainRecord[], field: string): string[] {
  return records.flatMap((record) => (record[field] ? [record[field] as string] : []));
}

function keysOf(links: readonly IntegrationRecord[], system: SystemName): string[] {
  return links.flatMap((link) => {
    const key = system === 'erp' ? link.erpId : link.crmId;
    return key ? [key] : [];
  });
}
