import type { ObjectLiteral } from 'typeorm';
import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import type { RequestLoaders } from '../loaders/request-loaders';
import type { UnifiedListFilter, UnifiedListService } from './unified-list.service';
import { mergeFields } from './field-merge';
import { deriveSyncState } from './sync-state';
import { decodeUnifiedId, encodeUnifiedId } from './unified-id';
import type { UnifiedRecord } from './unified-record';
import { unifiedType, type UnifiedType } from './unified-types';

export interface UnifiedConnection {
  readonly edges: readonly { readonly node: UnifiedRecord; readonly cursor: string }[];
  readonly pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  readonly totalCount: Promise<number>;
}

/**
 * Builds unified records for one request. Every lookup goes through the request's loaders, so
 * resolving a page of N records (and their related records) costs the same number of statements
 * whatever N is: one batch per table and per coupling side.
 */
export class UnifiedRecords {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly loaders: RequestLoaders,
    private readonly lists: UnifiedListService,
  ) {}

  /** A Relay connection over every record of a type, from both systems. */
  async list(typeName: string, args: { first: number; after?: string | null; filter?: UnifiedListFilter | null }): Promise<UnifiedConnection> {
    const type = this.type(typeName);
    const page = await this.lists.page(this.loaders, type, args);
    const nodes = await Promise.all(page.links.map((link) => this.fromLink(typeName, link)));
    const edges = nodes.flatMap((node, index) => (node ? [{ node, cursor: page.cursors[index]! }] : []));
    return {
      edges,
      // A getter, so the count query runs only when a client selects totalCount.
      get totalCount() {
        return page.totalCount();
      },
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(args.after),
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      },
    };
  }

  type(typeName: string): UnifiedType {
    const type = unifiedType(typeName);
    if (!type) throw new Error(`Unknown unified type ${typeName}`);
    return type;
  }

  async fromErp(typeName: string, erp: ObjectLiteral): Promise<UnifiedRecord> {
    const type = this.type(typeName);
    const table = this.connectors.erp.table(type.erpTable);
    const link = await this.loaders.integration.recordBy(type.mappingName, 'erp').load(this.connectors.erp.keyOf(table, erp));
    const crm = link?.crmId ? await this.loaders.crm.byKey(this.connectors.crm.table(type.crmTable)).load(link.crmId) : null;
    return this.build(type, erp, crm, link);
  }

  async fromCrm(typeName: string, crm: ObjectLiteral): Promise<UnifiedRecord> {
    const type = this.type(typeName);
    const table = this.connectors.crm.table(type.crmTable);
    const link = await this.loaders.integration.recordBy(type.mappingName, 'crm').load(this.connectors.crm.keyOf(table, crm));
    const erp = link?.erpId ? await this.loaders.erp.byKey(this.connectors.erp.table(type.erpTable)).load(link.erpId) : null;
    return this.build(type, erp, crm, link);
  }

  /** A unified record from an integration record a list query returned. */
  async fromLink(typeName: string, link: IntegrationRecord): Promise<UnifiedRecord | null> {
    const type = this.type(typeName);
    this.loaders.integration.prime(link);
    const [erp, crm] = await Promise.all([
      link.erpId ? this.loaders.erp.byKey(this.connectors.erp.table(type.erpTable)).load(link.erpId) : null,
      link.crmId ? this.loaders.crm.byKey(this.connectors.crm.table(type.crmTable)).load(link.crmId) : null,
    ]);
    if (!erp && !crm) return null;
    return this.build(type, erp, crm, link);
  }

  /** The record behind an id; null when it no longer exists on the side the id names. */
  async byId(id: string, expectedType?: string): Promise<UnifiedRecord | null> {
    const { typeName, system, key } = decodeUnifiedId(id);
    const type = unifiedType(typeName);
    if (!type || (expectedType && typeName !== expectedType)) return null;
    return this.bySideKey(typeName, system, key);
  }

  async bySideKey(typeName: string, system: SystemName, key: string): Promise<UnifiedRecord | null> {
    const type = this.type(typeName);
    const table = this.connectors[system].table(system === 'erp' ? type.erpTable : type.crmTable);
    const record = await this.loaders[system].byKey(table).load(key);
    if (!record) return null;
    return system === 'erp' ? this.fromErp(typeName, record) : this.fromCrm(typeName, record);
  }

  /**
   * A related record (a customer's salesperson, an item's unit…): through the ERP side's reference
   * when the record has an ERP side (the ERP holds the truth for references it owns, and an empty
   * one means none, such as the local currency), else through the CRM side's.
   */
  async related(typeName: string, erpRef: { field: string; value: unknown } | null | undefined, crmKey: string | null | undefined): Promise<UnifiedRecord | null> {
    const type = this.type(typeName);
    if (erpRef) {
      const erp = await this.loaders.erp.oneByField(this.connectors.erp.table(type.erpTable), erpRef.field, erpRef.value);
      return erp ? this.fromErp(typeName, erp) : null;
    }
    return crmKey ? this.bySideKey(typeName, 'crm', crmKey) : null;
  }

  /**
   * Related records from both sides (a customer's contacts, an invoice's lines), each pair
   * shown once.
   */
  async relatedMany(typeName: string, erpRecords: readonly ObjectLiteral[], crmRecords: readonly ObjectLiteral[]): Promise<UnifiedRecord[]> {
    const unified = await Promise.all([
      ...erpRecords.map((erp) => this.fromErp(typeName, erp)),
      ...crmRecords.map((crm) => this.fromCrm(typeName, crm)),
    ]);
    const seen = new Set<string>();
    return unified.filter((record) => !seen.has(record.id) && seen.add(record.id));
  }

  private async build(type: UnifiedType, erp: ObjectLiteral | null, crm: ObjectLiteral | null, link: IntegrationRecord | null): Promise<UnifiedRecord> {
    const fieldMappings = await this.loaders.integration.fieldMappings.load(type.mappingName);
    const anchor = erp
      ? { system: 'erp' as const, key: this.connectors.erp.keyOf(this.connectors.erp.table(type.erpTable), erp) }
      : { system: 'crm' as const, key: this.connectors.crm.keyOf(this.connectors.crm.table(type.crmTable), crm!) };
    return {
      ...mergeFields(type.merged, fieldMappings, erp, crm),
      id: encodeUnifiedId({ typeName: type.typeName, ...anchor }),
      typeName: type.typeName,
      mappingName: type.mappingName,
      erp,
      crm,
      link,
      coupling: link && link.erpId !== null && link.crmId !== null ? link : null,
      syncState: deriveSyncState(link, (erp?.modifiedAt as Date | undefined) ?? null, (crm?.modifiedAt as Date | undefined) ?? null),
    };
  }
}
