import { isUuid, requireUuid } from '../errors/input-checks';
import { decodeCursor, encodeCursor } from '../paging/page-cursor';
import { In, type DataSource } from 'typeorm';
import { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import type { SyncJob } from '../../entities/integration/sync-job.entity';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { badInput } from '../errors/domain-error';
import { encodeUnifiedId } from '../unify/unified-id';
import { unifiedTypes, type UnifiedType } from '../unify/unified-types';
import { comparable, decodeConflicts, decodeFieldValues, type FieldChoice } from './field-merge';
import type { SyncEngine } from './sync-engine';
import type { SyncResolution } from './sync-mode';

export interface SyncErrorEntry {
  readonly id: string;
  readonly mappingName: string;
  readonly result: SyncResult;
  readonly message: string | null;
  readonly occurredAt: Date;
  readonly erpRecordId: string | null;
  readonly crmRecordId: string | null;
  readonly erpExists: boolean;
  readonly crmExists: boolean;
  /** For a conflict decided field by field: each field in conflict with both values now and as last synchronised. */
  readonly fields: readonly ConflictingField[];
}

export interface ConflictingField {
  readonly field: string;
  readonly erpField: string;
  /** Values as JSON text. */
  readonly erpValue: string;
  readonly crmValue: string;
  readonly baseErpValue: string | null;
  readonly baseCrmValue: string | null;
}

export interface SyncErrorFilter {
  readonly mappingName?: string | null;
  readonly result?: SyncResult | null;
}

const REPORTED = [SyncResult.FAILED, SyncResult.SKIPPED, SyncResult.CONFLICT];

const typeOf = (mappingName: string): UnifiedType => Object.values(unifiedTypes).find((type) => type.mappingName === mappingName)!;

/**
 * The error queue: records whose last synchronisation failed, was skipped or found a conflict,
 * with both sides and whether each still exists; and what an operator can do about them.
 */
export class SyncErrorService {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly engine: SyncEngine,
  ) {}

  count(filter: SyncErrorFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  async list(filter: SyncErrorFilter, first: number, after?: string | null) {
    if (!Number.isInteger(first) || first < 0 || first > 1000) throw badInput('first must be between 0 and 1000', { argument: 'first' });
    const query = this.filtered(filter);
    if (after) {
      const [id] = decodeCursor(after, 1, ([value]) => isUuid(value!));
      query.andWhere('r.id > :after', { after: id });
    }
    const rows = await query
      .orderBy('r.id')
      .limit(first + 1)
      .getMany();
    const page = rows.slice(0, first);
    return { entries: await this.describe(page), hasNextPage: rows.length > first, endCursor: page.length > 0 ? encodeCursor(page[page.length - 1]!.id) : null };
  }

  private filtered(filter: SyncErrorFilter) {
    const query = this.integration
      .getRepository(IntegrationRecord)
      .createQueryBuilder('r')
      .where('r.last_result IN (:...reported)', { reported: filter.result ? [filter.result] : REPORTED });
    if (filter.mappingName) query.andWhere('r.mapping_name = :mappingName', { mappingName: filter.mappingName });
    return query;
  }

  /** Synchronises the reported records again under the current rules. */
  async retry(ids: readonly string[], requestedBy: string): Promise<SyncJob[]> {
    const jobs: SyncJob[] = [];
    for (const [mappingName, rows] of await this.byMapping(ids)) {
      const keys = { erp: rows.flatMap((r) => (r.erpId ? [r.erpId] : [])), crm: rows.flatMap((r) => (!r.erpId && r.crmId ? [r.crmId] : [])) };
      jobs.push(await this.engine.syncRecords(mappingName, keys, null, requestedBy, true));
    }
    return jobs;
  }

  /**
   * Decides reported records. With field choices (CRM field → side), each named field in conflict
   * takes its side, the other fields in conflict `resolution`'s, and nothing else is copied.
   */
  async resolve(ids: readonly string[], resolution: SyncResolution, requestedBy: string, fieldChoices?: Readonly<Record<string, FieldChoice>>): Promise<SyncJob[]> {
    const groups = await this.byMapping(ids);
    if (fieldChoices) await this.checkFields([...groups.keys()], Object.keys(fieldChoices));
    const jobs: SyncJob[] = [];
    for (const [mappingName, rows] of groups) {
      jobs.push(
        await this.engine.resolve(
          mappingName,
          rows.map((row) => row.id),
          resolution,
          requestedBy,
          fieldChoices,
        ),
      );
    }
    return jobs;
  }

  private async checkFields(mappingNames: readonly string[], fields: readonly string[]): Promise<void> {
    const mapped = await this.integration.getRepository(FieldMapping).findBy({ tableMappingName: In([...mappingNames]) });
    const unknown = fields.find((field) => !mappingNames.every((name) => mapped.some((m) => m.tableMappingName === name && m.crmField === field && m.erpField !== null)));
    if (unknown !== undefined) throw badInput(`"${unknown}" is not a mapped field of ${mappingNames.join(', ')}`, { argument: 'fields' });
  }

  private async byMapping(ids: readonly string[]): Promise<Map<string, IntegrationRecord[]>> {
    if (ids.length === 0 || ids.length > 1000) throw badInput('Give between 1 and 1000 error ids', { argument: 'ids' });
    const bad = ids.find((id) => !isUuid(id));
    if (bad !== undefined) requireUuid(bad, 'ids', 'error id');
    const rows = await this.integration.getRepository(IntegrationRecord).findBy({ id: In([...ids]) });
    const reported = rows.filter((row) => row.lastResult && REPORTED.includes(row.lastResult));
    if (reported.length !== new Set(ids).size) throw badInput('Some ids are not in the error queue (any more)', { argument: 'ids' });
    const groups = new Map<string, IntegrationRecord[]>();
    for (const row of reported) groups.set(row.mappingName, [...(groups.get(row.mappingName) ?? []), row]);
    return groups;
  }

  private async describe(rows: IntegrationRecord[]): Promise<SyncErrorEntry[]> {
    const existing = new Map<string, DomainRecord>();
    const mappingNames = [...new Set(rows.map((row) => row.mappingName))];
    for (const mappingName of mappingNames) {
      const type = typeOf(mappingName);
      const ofMapping = rows.filter((row) => row.mappingName === mappingName);
      for (const system of ['erp', 'crm'] as const) {
        const table = this.connectors[system].table(system === 'erp' ? type.erpTable : type.crmTable);
        const keys = ofMapping.flatMap((row) => (row[system === 'erp' ? 'erpId' : 'crmId'] ? [row[system === 'erp' ? 'erpId' : 'crmId']!] : []));
        for (const record of await this.connectors[system].getByKeys(table, keys)) existing.set(`${system}:${this.connectors[system].keyOf(table, record)}`, record);
      }
    }
    const fieldMappings = rows.some((row) => row.conflictingFields !== null)
      ? await this.integration.getRepository(FieldMapping).findBy({ tableMappingName: In(mappingNames) })
      : [];
    const json = (value: unknown) => JSON.stringify(comparable(value));
    const conflictingFields = (row: IntegrationRecord): ConflictingField[] => {
      const erp = row.erpId ? existing.get(`erp:${row.erpId}`) : undefined;
      const crm = row.crmId ? existing.get(`crm:${row.crmId}`) : undefined;
      if (!erp || !crm) return [];
      const base = decodeFieldValues(row.syncedValues);
      return [...decodeConflicts(row.conflictingFields)].flatMap((field) => {
        const mapping = fieldMappings.find((m) => m.tableMappingName === row.mappingName && m.crmField === field && m.erpField !== null);
        if (!mapping) return [];
        const [baseErp, baseCrm] = base[field] ?? [];
        return [
          {
            field,
            erpField: mapping.erpField!,
            erpValue: json(erp[mapping.erpField!]),
            crmValue: json(crm[field]),
            baseErpValue: base[field] ? json(baseErp) : null,
            baseCrmValue: base[field] ? json(baseCrm) : null,
          },
        ];
      });
    };
    return rows.map((row) => {
      const type = typeOf(row.mappingName);
      return {
        id: row.id,
        mappingName: row.mappingName,
        result: row.lastResult!,
        message: row.lastError,
        occurredAt: row.modifiedAt,
        erpRecordId: row.erpId ? encodeUnifiedId({ typeName: type.typeName, system: 'erp', key: row.erpId }) : null,
        crmRecordId: row.crmId ? encodeUnifiedId({ typeName: type.typeName, system: 'crm', key: row.crmId }) : null,
        erpExists: row.erpId !== null && existing.has(`erp:${row.erpId}`),
        crmExists: row.crmId !== null && existing.has(`crm:${row.crmId}`),
        fields: conflictingFields(row),
      };
    });
  }
}
