import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import type { DomainRecord, RecordRead, SystemConnector, SystemName } from '../connectors/system-connector';
import { linkKey, type CountStatement, type LinkKey } from '../loaders/integration.loaders';
import type { RecordLoaders } from '../loaders/record.loaders';
import type { RequestLoaders } from '../loaders/request-loaders';
import type { CompiledRelation } from './compiled/compiled-relations';
import type { RecordSelection } from './compiled/record-selection';
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
 * joins across them): one statement to the ERP and one to the CRM (each relation joined to the
 * page's records inside its system), then one to the integration store for the related records'
 * links. The resolvers then find everything in the request's loaders. A related record's other
 * side that is not among what was read (a salesperson coupled with a CRM user other than the
 * account's owner) is loaded by the loaders as before: the prefetch saves statements, it never
 * decides an answer. Relations of related records are left to the loaders.
 */
export class PagePrefetch {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly loaders: RequestLoaders,
  ) {}

  /** Reads ahead for a page; with `count`, counts the list in the same integration statement and returns that. */
  async page(type: UnifiedType, links: readonly IntegrationRecord[], selection: RecordSelection, count: CountStatement | null): Promise<number | null> {
    if (links.length === 0) return null;
    const erp = new SideReads(this.connectors.erp, this.loaders.erp);
    const crm = new SideReads(this.connectors.crm, this.loaders.crm);
    const page: PageReads = {
      erpKey: erp.keyField(type.erpTable),
      crmKey: crm.keyField(type.crmTable),
      erp: erp.add(type.erpTable, erp.keyField(type.erpTable), keysOf(links, 'erp')),
      crm: crm.add(type.crmTable, crm.keyField(type.crmTable), keysOf(links, 'crm')),
    };
    const relations = selection.relations.map(({ relation }) => ({ target: unifiedType(relation.target)!, linkKeys: this.plan(relation, erp, crm, page) }));
    await Promise.all([erp.run(), crm.run()]);
    const wanted = new Map<string, LinkKey[]>();
    for (const { target, linkKeys } of relations) wanted.set(target.mappingName, [...(wanted.get(target.mappingName) ?? []), ...linkKeys(links)]);
    return this.loaders.integration.readAhead(wanted, count);
  }

  /** Adds a relation's reads; returns how to find, once read, the keys of the links its records are looked up by. */
  private plan(relation: CompiledRelation, erp: SideReads, crm: SideReads, page: PageReads): (links: readonly IntegrationRecord[]) => LinkKey[] {
    const target = unifiedType(relation.target)!;
    if (relation.kind === 'one') {
      if (target.erpCodeField) erp.add(target.erpTable, target.erpCodeField, { from: page.erp, field: relation.erpRef });
      crm.add(target.crmTable, crm.keyField(target.crmTable), { from: page.crm, field: relation.crmRef });
      return (links) => {
        const erpRecords = byKey(erp.records(page.erp), page.erpKey);
        const crmRecords = byKey(crm.records(page.crm), page.crmKey);
        // As UnifiedRecords.related: by the ERP side's code when the record has an ERP side, else by the CRM side's reference.
        return links.flatMap((link) => {
          const erpRecord = link.erpId ? erpRecords.get(link.erpId) : undefined;
          const reference = erpRecord ? erpRecord[relation.erpRef] : (link.crmId ? crmRecords.get(link.crmId) : undefined)?.[relation.crmRef];
          if (!reference) return [];
          return [erpRecord ? linkKey.code(reference as string) : linkKey.crm(reference as string)];
        });
      };
    }
    const through = relation.erp.through;
    const parents = through ? erp.add(target.erpTable, through.field, { from: page.erp, field: through.parentField }) : page.erp;
    const erpRelated = erp.add(target.erpTable, relation.erp.field, { from: parents, field: relation.erp.parentField });
    const crmRelated = crm.add(target.crmTable, relation.crm.field, { from: page.crm, field: page.crmKey });
    return () => [
      ...erp.records(erpRelated).map((record) => linkKey.erp(record[erp.keyField(target.erpTable)] as string)),
      ...crm.records(crmRelated).map((record) => linkKey.crm(record[crm.keyField(target.crmTable)] as string)),
    ];
  }
}

/** The page's own reads: its records' key fields and read numbers on each side. */
interface PageReads {
  readonly erpKey: string;
  readonly crmKey: string;
  readonly erp: number;
  readonly crm: number;
}

function byKey(records: readonly DomainRecord[], keyField: string): Map<string, DomainRecord> {
  return new Map(records.map((record) => [record[keyField] as string, record]));
}

function keysOf(links: readonly IntegrationRecord[], system: SystemName): string[] {
  return links.flatMap((link) => {
    const key = system === 'erp' ? link.erpId : link.crmId;
    return key ? [key] : [];
  });
}
