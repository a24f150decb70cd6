import DataLoader from 'dataloader';
import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { linkKey, type LinkKey } from '../loaders/integration.loaders';
import type { RequestLoaders } from '../loaders/request-loaders';
import { mergeFields } from './field-merge';
import { deriveSyncState } from './sync-state';
import type { CompiledReads } from './compiled/compiled-reads';
import type { RecordSelection } from './compiled/record-selection';
import { decodeUnifiedId, encodeUnifiedId, type UnifiedIdParts } from './unified-id';
import type { PageArgs, UnifiedListService } from './unified-list.service';
import type { UnifiedConnection } from './unified-connection';
import type { PagePrefetch } from './page-prefetch';
import type { UnifiedRecord } from './unified-record';
import { unifiedType, type UnifiedType, type UnifiedTypeName } from './unified-types';

/**
 * How a related record is referenced: by the ERP side's code when the referring record has an
 * ERP side (the ERP holds the truth for references it owns, and an empty code means none, such as
 * the local currency), else by the CRM side's key.
 */
export type RelatedRef = { readonly erpCode: string | null | undefined } | { readonly crmKey: string | null | undefined };

/** What a query selects of a record of a type, when it is known (null: not compilable). */
export type SelectionOf = (typeName: UnifiedTypeName) => RecordSelection | null;

/**
 * Builds unified records for one request. Every way of reaching a record takes the same steps:
 * find its integration record (by ERP key, CRM key or ERP code, one statement per mapping), then
 * load whichever sides are missing (one statement per table). With the request's batch waves
 * this makes a page's statement count depend on the shape of the query, not on its size or on
 * which records happen to be coupled.
 */
export class UnifiedRecords {
  private readonly lookups = new Map<RecordSelection, DataLoader<UnifiedIdParts, UnifiedRecord | null, string>>();
  private readonly lookupsAhead = new Map<RecordSelection, DataLoader<UnifiedIdParts, void, string>>();

  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly loaders: RequestLoaders,
    private readonly lists: UnifiedListService,
    private readonly compiled: CompiledReads | null,
    private readonly prefetch: PagePrefetch | null,
  ) {}

  /**
   * A Relay connection over every record of a type, from both systems: in one statement when the
   * selection can be compiled, else through the loaders, primed with a statement per store when
   * the selection is known; `counted` when the client selects totalCount.
   */
  async list(typeName: string, args: PageArgs, selection: RecordSelection | null = null, counted = false): Promise<UnifiedConnection> {
    if (selection && this.compiled?.covers(selection)) return this.compiled.list(selection, args);
    const type = this.type(typeName);
    const { page, total } =
      selection && this.prefetch
        ? await this.prefetch.list(
            type,
            this.lists.pageStatement(type, args),
            (rows) => this.lists.pageOf(type, args, rows),
            selection,
            counted ? this.lists.countStatement(type, args.filter) : null,
          )
        : { page: await this.lists.page(type, args), total: null };
    const nodes = await Promise.all(page.links.map((link) => this.fromLink(type, link)));
    const edges = nodes.flatMap((node, index) => (node ? [{ node, cursor: page.cursors[index]! }] : []));
    return {
      edges,
      // A getter, so the count query runs only when a client selects totalCount (and it was not read ahead).
      get totalCount() {
        return total !== null ? Promise.resolve(total) : page.totalCount();
      },
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(args.after),
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      },
    };
  }

  /** The record behind an id; null when it no longer exists on the side the id names. */
  async byId(id: string, expectedType?: string, selectionOf?: SelectionOf): Promise<UnifiedRecord | null> {
    const parts = decodeUnifiedId(id);
    const { typeName, system, key } = parts;
    const type = unifiedType(typeName);
    if (!type || (expectedType && typeName !== expectedType)) return null;
    const selection = selectionOf?.(typeName as UnifiedTypeName) ?? null;
    if (selection && this.compiled?.covers(selection)) return this.compiledLookup(selection).load(parts);
    if (selection && this.prefetch) await this.lookupAhead(selection).load(parts);
    const link = await this.link(type, system === 'erp' ? linkKey.erp(key) : linkKey.crm(key));
    if (link) {
      this.loaders.integration.prime(link);
      const record = await this.fromLink(type, link);
      return record && record[system] ? record : null;
    }
    const side = await this.loaders[system].byKey(this.table(type, system)).load(key);
    return side ? this.complete(type, null, system === 'erp' ? side : null, system === 'crm' ? side : null) : null;
  }

  /** Lookups of one selection within the request, batched into one statement. */
  private compiledLookup(selection: RecordSelection): DataLoader<UnifiedIdParts, UnifiedRecord | null, string> {
    let loader = this.lookups.get(selection);
    if (!loader) {
      const compiled = this.compiled!;
      loader = new DataLoader((ids: readonly UnifiedIdParts[]) => compiled.lookup(selection, ids), { cacheKeyFn: (id) => `${id.system}:${id.key}` });
      this.lookups.set(selection, loader);
    }
    return loader;
  }

  /**
   * Lookups of one selection within the request (`_entities` batches), read ahead together as a
   * page is: their links, then their records and related records, one statement per store.
   */
  private lookupAhead(selection: RecordSelection): DataLoader<UnifiedIdParts, void, string> {
    let loader = this.lookupsAhead.get(selection);
    if (!loader) {
      const prefetch = this.prefetch!;
      loader = new DataLoader(
        async (ids: readonly UnifiedIdParts[]) => {
          const links = await Promise.all(ids.map(({ system, key }) => this.link(selection.type, system === 'erp' ? linkKey.erp(key) : linkKey.crm(key))));
          await prefetch.page(
            selection.type,
            links.filter((link) => link !== null),
            selection,
            null,
          );
          return ids.map(() => undefined);
        },
        { cacheKeyFn: (id) => `${id.system}:${id.key}` },
      );
      this.lookupsAhead.set(selection, loader);
    }
    return loader;
  }

  /** A related record: a customer's salesperson, an item's unit of measure… */
  async related(typeName: string, ref: RelatedRef): Promise<UnifiedRecord | null> {
    const type = this.type(typeName);
    const key = 'erpCode' in ref ? ref.erpCode && linkKey.code(ref.erpCode) : ref.crmKey && linkKey.crm(ref.crmKey);
    if (!key) return null;
    const link = await this.link(type, key);
    if (link) return this.fromLink(type, link);
    // Not indexed yet (written since the mapping was last listed): read the side directly.
    if ('erpCode' in ref) {
      if (!type.erpCodeField) return null;
      const erp = await this.loaders.erp.oneByField(this.table(type, 'erp'), type.erpCodeField, ref.erpCode);
      return erp ? this.complete(type, null, erp, null) : null;
    }
    const crm = await this.loaders.crm.byKey(this.table(type, 'crm')).load(ref.crmKey!);
    return crm ? this.complete(type, null, null, crm) : null;
  }

  /**
   * Related records from both sides (a customer's contacts, an invoice's lines), each coupled pair
   * once. Each side's records go on as soon as they arrive, so neither waits for the other.
   */
  async relatedMany(typeName: string, erpRecords: Promise<DomainRecord[]> | DomainRecord[], crmRecords: Promise<DomainRecord[]> | DomainRecord[]): Promise<UnifiedRecord[]> {
    const type = this.type(typeName);
    const [fromErp, fromCrm] = await Promise.all([
      Promise.resolve(erpRecords).then((records) => Promise.all(records.map((erp) => this.fromSide(type, 'erp', erp)))),
      Promise.resolve(crmRecords).then((records) => Promise.all(records.map((crm) => this.fromSide(type, 'crm', crm)))),
    ]);
    const seen = new Set<string>();
    return [...fromErp, ...fromCrm].filter((record) => !seen.has(record.id) && seen.add(record.id));
  }

  /** A unified record for one side's record already in hand. */
  async fromSide(type: UnifiedType, system: SystemName, record: DomainRecord): Promise<UnifiedRecord> {
    const key = this.connectors[system].keyOf(this.table(type, system), record);
    const link = await this.link(type, system === 'erp' ? linkKey.erp(key) : linkKey.crm(key));
    return this.complete(type, link, system === 'erp' ? record : null, system === 'crm' ? record : null);
  }

  type(typeName: string): UnifiedType {
    const type = unifiedType(typeName);
    if (!type) throw new Error(`Unknown unified type ${typeName}`);
    return type;
  }

  private link(type: UnifiedType, key: LinkKey): Promise<IntegrationRecord | null> {
    return this.loaders.integration.link(type.mappingName).load(key);
  }

  private table(type: UnifiedType, system: SystemName) {
    return this.connectors[system].table(system === 'erp' ? type.erpTable : type.crmTable);
  }

  /** The record a link names; null when neither of its sides exists any more (the index has not caught up with their deletion). */
  private async fromLink(type: UnifiedType, link: IntegrationRecord): Promise<UnifiedRecord | null> {
    this.loaders.integration.prime(link);
    const [erp, crm] = await this.sides(type, link, null, null);
    return erp || crm ? this.build(type, erp, crm, link) : null;
  }

  private async complete(type: UnifiedType, link: IntegrationRecord | null, erpInHand: DomainRecord | null, crmInHand: DomainRecord | null): Promise<UnifiedRecord> {
    const [erp, crm] = await this.sides(type, link, erpInHand, crmInHand);
    return this.build(type, erp, crm, link);
  }

  /**
   * Loads the sides the link names that are not in hand, in one wave; a record with nothing to
   * load waits for that wave all the same, so records finish together whatever they hold.
   */
  private async sides(type: UnifiedType, link: IntegrationRecord | null, erpInHand: DomainRecord | null, crmInHand: DomainRecord | null) {
    const loadErp = !erpInHand && link?.erpId ? this.loaders.erp.byKey(this.table(type, 'erp')).load(link.erpId) : null;
    const loadCrm = !crmInHand && link?.crmId ? this.loaders.crm.byKey(this.table(type, 'crm')).load(link.crmId) : null;
    const [erp, crm] = await Promise.all([loadErp ?? erpInHand, loadCrm ?? crmInHand, loadErp || loadCrm ? null : this.loaders.waves.barrier()]);
    return [erp, crm] as const;
  }

  private async build(type: UnifiedType, erp: DomainRecord | null, crm: DomainRecord | null, link: IntegrationRecord | null): Promise<UnifiedRecord> {
    const fieldMappings = await this.loaders.integration.fieldMappings(type.mappingName);
    const anchor = erp
      ? { system: 'erp' as const, key: this.connectors.erp.keyOf(this.table(type, 'erp'), erp) }
      : { system: 'crm' as const, key: this.connectors.crm.keyOf(this.table(type, 'crm'), crm!) };
    const coupled = link !== null && link.erpId !== null && link.crmId !== null;
    return {
      ...mergeFields(type.merged, fieldMappings, erp, crm),
      id: encodeUnifiedId({ typeName: type.typeName, ...anchor }),
      typeName: type.typeName,
      mappingName: type.mappingName,
      erp,
      crm,
      link,
      coupling: coupled ? link : null,
      syncState: deriveSyncState(link, (erp?.modifiedAt as Date | undefined) ?? null, (crm?.modifiedAt as Date | undefined) ?? null),
    };
  }
}
