import { randomUUID } from 'node:crypto';
import { In, IsNull, Not, type DataSource } from 'typeorm';
import { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJobType, type SyncJob } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { matchesFilter } from '../connectors/filter-match';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { badInput, notFound } from '../errors/domain-error';
import { bulkInsert } from '../db/bulk-insert';
import type { SyncJobStates } from '../jobs/sync-job-states';
import type { RecordSyncService } from '../sync/record-sync.service';
import { newCouplingValues } from '../sync/coupling-values';
import { linksByKey } from '../sync/links-by-key';
import { lockMappingRecords } from '../unify/mapping-records-lock';
import { decodeUnifiedId, encodeUnifiedId } from '../unify/unified-id';
import { unifiedTypes, type UnifiedType } from '../unify/unified-types';

export interface MatchRequest {
  readonly mappingName: string;
  /** Unified ids of the ERP records to couple; all uncoupled ones in the mapping's filter when absent. */
  readonly erpIds?: readonly string[] | null;
  /** Sets of ERP fields (match fields of the field mappings), tried in order until one finds a match. */
  readonly criteria?: readonly (readonly string[])[] | null;
  readonly caseSensitive: boolean;
  readonly createIfNoMatch: boolean;
  readonly syncAfterCoupling: boolean;
  readonly dryRun: boolean;
}

export type MatchOutcomeKind = 'COUPLED' | 'CREATED' | 'NO_MATCH' | 'AMBIGUOUS' | 'ALREADY_COUPLED';

export interface MatchSample {
  readonly kind: MatchOutcomeKind;
  readonly erpRecordId: string;
  readonly crmRecordIds: readonly string[];
  readonly criteria: readonly string[] | null;
}

export interface MatchReport {
  readonly counts: Readonly<Record<MatchOutcomeKind, number>>;
  readonly samples: readonly MatchSample[];
  readonly job: SyncJob | null;
  readonly syncJobs: readonly SyncJob[];
}

const SAMPLES_PER_KIND = 10;
const MAX_RECORDS = 100_000;

/**
 * Couples a mapping's uncoupled records by matching field values: for each ERP record the
 * criteria sets are tried in order, and only a single candidate couples; two or more are
 * ambiguous and never coupled. A dry run reports the same without writing.
 */
export class MatchCouplingService {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly jobs: SyncJobStates,
    private readonly recordSync: RecordSyncService,
  ) {}

  async coupleByMatch(request: MatchRequest, requestedBy: string): Promise<MatchReport> {
    const startedAt = new Date();
    const mapping = await this.integration.getRepository(TableMapping).findOneBy({ name: request.mappingName });
    if (!mapping) throw notFound(`No table mapping named "${request.mappingName}"`, { argument: 'mapping' });
    const type = Object.values(unifiedTypes).find((t) => t.mappingName === mapping.name) as UnifiedType;
    const fields = await this.integration.getRepository(FieldMapping).findBy({ tableMappingName: mapping.name, matchField: true });
    const criteria = this.criteria(request, fields);
    const tables = { erp: this.connectors.erp.table(mapping.erpTable), crm: this.connectors.crm.table(mapping.crmTable) };

    const erpRecords = await this.erpRecords(request, mapping, type, tables.erp);
    const links = await this.linksOf(
      mapping.name,
      'erpId',
      erpRecords.map((r) => this.connectors.erp.keyOf(tables.erp, r)),
    );
    const candidates = (await this.uncoupledCrmRecords(mapping, tables.crm)).filter((record) => matchesFilter(record, mapping.crmFilter));
    const normalise = (value: unknown) =>
      value === null || value === undefined || value === '' ? null : request.caseSensitive ? String(value).trim() : String(value).trim().toLowerCase();
    const indexes = criteria.map((set) => {
      const index = new Map<string, DomainRecord[]>();
      for (const record of candidates) {
        const values = set.map((f) => normalise(record[f.crmField]));
        if (values.some((v) => v === null)) continue;
        const key = JSON.stringify(values);
        index.set(key, [...(index.get(key) ?? []), record]);
      }
      return index;
    });

    const counts: Record<MatchOutcomeKind, number> = { COUPLED: 0, CREATED: 0, NO_MATCH: 0, AMBIGUOUS: 0, ALREADY_COUPLED: 0 };
    const samples: MatchSample[] = [];
    const sample = (kind: MatchOutcomeKind, erpKey: string, crm: readonly DomainRecord[], used: readonly string[] | null) => {
      counts[kind] += 1;
      if (samples.filter((s) => s.kind === kind).length >= SAMPLES_PER_KIND) return;
      samples.push({
        kind,
        erpRecordId: encodeUnifiedId({ typeName: type.typeName, system: 'erp', key: erpKey }),
        crmRecordIds: crm.map((record) => encodeUnifiedId({ typeName: type.typeName, system: 'crm', key: this.connectors.crm.keyOf(tables.crm, record) })),
        criteria: used,
      });
    };
    const claimed = new Set<string>();
    const couplings: Array<{ erp: DomainRecord; crm: DomainRecord }> = [];
    const toCreate: string[] = [];
    for (const erp of erpRecords) {
      const erpKey = this.connectors.erp.keyOf(tables.erp, erp);
      if (links.get(erpKey)?.crmId) {
        sample('ALREADY_COUPLED', erpKey, [], null);
        continue;
      }
      let decided = false;
      for (const [index, set] of criteria.entries()) {
        const values = set.map((f) => normalise(erp[f.erpField!]));
        if (values.some((v) => v === null)) continue;
        const found = (indexes[index]!.get(JSON.stringify(values)) ?? []).filter((crm) => !claimed.has(this.connectors.crm.keyOf(tables.crm, crm)));
        if (found.length === 0) continue;
        const used = set.map((f) => f.erpField!);
        if (found.length > 1) sample('AMBIGUOUS', erpKey, found, used);
        else {
          claimed.add(this.connectors.crm.keyOf(tables.crm, found[0]!));
          couplings.push({ erp, crm: found[0]! });
          sample('COUPLED', erpKey, found, used);
        }
        decided = true;
        break;
      }
      if (decided) continue;
      if (request.createIfNoMatch && mapping.direction !== SyncDirection.FROM_CRM) {
        toCreate.push(encodeUnifiedId({ typeName: type.typeName, system: 'erp', key: erpKey }));
        sample('CREATED', erpKey, [], null);
      } else sample('NO_MATCH', erpKey, [], null);
    }
    if (request.dryRun) return { counts, samples, job: null, syncJobs: [] };

    const job = await this.integration.transaction(async (manager) => {
      await lockMappingRecords(manager, mapping.name, 'coupling');
      const rows = couplings.map(({ erp, crm }): IntegrationRecord => {
        const erpKey = this.connectors.erp.keyOf(tables.erp, erp);
        const values = newCouplingValues(mapping.name, { erp: erpKey, crm: this.connectors.crm.keyOf(tables.crm, crm) }, erp, crm, 'match-coupling');
        return { id: links.get(erpKey)?.id ?? randomUUID(), ...values };
      });
      if (rows.length > 0) {
        // The CRM records' one-sided index rows give way to the couplings, which are written in one statement.
        await manager.delete(IntegrationRecord, { mappingName: mapping.name, crmId: In(rows.map((row) => row.crmId!)), erpId: IsNull() });
        await bulkInsert(manager, IntegrationRecord, rows, { replaceOnConflict: true });
      }
      return this.jobs.recordCompleted(manager, { type: SyncJobType.COUPLE_BY_MATCH, mappingName: mapping.name, requestedBy, startedAt }, { coupled: couplings.length });
    });
    const syncJobs: SyncJob[] = [];
    const coupledIds = couplings.map(({ erp }) => encodeUnifiedId({ typeName: type.typeName, system: 'erp', key: this.connectors.erp.keyOf(tables.erp, erp) }));
    const batches = [
      { ids: request.syncAfterCoupling ? coupledIds : [], createUncoupled: false },
      // Asked for in so many words (createIfNoMatch), these are created whatever the mapping's syncOnlyCoupledRecords says.
      { ids: toCreate, createUncoupled: true },
    ];
    for (const { ids, createUncoupled } of batches) {
      for (let start = 0; start < ids.length; start += 1000)
        syncJobs.push(...(await this.recordSync.syncRecords(ids.slice(start, start + 1000), null, requestedBy, { createUncoupled })));
    }
    return { counts, samples, job, syncJobs };
  }

  private criteria(request: MatchRequest, fields: FieldMapping[]): FieldMapping[][] {
    const matchable = new Map(fields.filter((f) => f.erpField).map((f) => [f.erpField!, f]));
    const sets = request.criteria?.length ? request.criteria : [[...matchable.keys()]];
    return sets.map((set) => {
      if (set.length === 0) throw badInput('A criteria set needs at least one field', { argument: 'criteria' });
      return set.map((name) => {
        const field = matchable.get(name);
        if (!field) throw badInput(`"${name}" is not a match field of ${request.mappingName}; choose from ${[...matchable.keys()].join(', ')}`, { argument: 'criteria' });
        return field;
      });
    });
  }

  private async erpRecords(request: MatchRequest, mapping: TableMapping, type: UnifiedType, table: ReturnType<SystemConnector['table']>): Promise<DomainRecord[]> {
    if (request.erpIds) {
      const keys = request.erpIds.map((id) => {
        const parts = decodeUnifiedId(id);
        if (parts.typeName !== type.typeName || parts.system !== 'erp') throw badInput(`"${id}" is not the id of a ${type.typeName} with an ERP side`, { argument: 'erpIds' });
        return parts.key;
      });
      return this.connectors.erp.getByKeys(table, keys);
    }
    const records = await this.connectors.erp.list(table, { first: MAX_RECORDS, filter: mapping.erpFilter });
    return records;
  }

  private async uncoupledCrmRecords(mapping: TableMapping, table: ReturnType<SystemConnector['table']>): Promise<DomainRecord[]> {
    const coupled = await this.integration.getRepository(IntegrationRecord).find({
      where: { mappingName: mapping.name, crmId: Not(IsNull()), erpId: Not(IsNull()) },
      select: { crmId: true },
    });
    const taken = new Set(coupled.map((link) => link.crmId));
    const all = await this.connectors.crm.list(table, { first: MAX_RECORDS, filter: mapping.crmFilter });
    return all.filter((record) => !taken.has(this.connectors.crm.keyOf(table, record)));
  }

  private async linksOf(mappingName: string, side: 'erpId', keys: string[]): Promise<Map<string, IntegrationRecord>> {
    const rows = await linksByKey(this.integration, mappingName, side, keys);
    return new Map(rows.map((row) => [row[side]!, row]));
  }
}
