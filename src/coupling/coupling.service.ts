import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import { SyncJobType, type SyncJob } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { matchesFilter } from '../connectors/filter-match';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { badInput, notFound, refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { SyncJobStates } from '../jobs/sync-job-states';
import { lockMappingRecords } from '../unify/mapping-records-lock';
import { identityOf } from '../unify/record-identity';
import { decodeUnifiedId, encodeUnifiedId } from '../unify/unified-id';
import { unifiedType, type UnifiedType } from '../unify/unified-types';
import type { CouplingPrerequisites } from './coupling-prerequisites';
import { NEVER_SYNCED, newCouplingValues } from '../sync/coupling-values';

export interface CouplingOutcome {
  /** The coupled record's id (its ERP side's). */
  readonly id: string;
  readonly job: SyncJob;
}

export interface UncouplingOutcome {
  readonly erpId: string;
  readonly crmId: string;
  readonly job: SyncJob;
}

const UNIQUE_VIOLATION = '23505';

/**
 * Couples one ERP record to one CRM record and uncouples them, each as one transaction with its
 * job row. One-to-one is kept by the integration record's unique keys, so two operators coupling
 * the same record at once cannot both succeed.
 */
export class CouplingService {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly prerequisites: CouplingPrerequisites,
    private readonly jobs: SyncJobStates,
  ) {}

  async couple(erpRecordId: string, crmRecordId: string, requestedBy: string): Promise<CouplingOutcome> {
    const startedAt = new Date();
    const erpParts = decodeUnifiedId(erpRecordId);
    const crmParts = decodeUnifiedId(crmRecordId);
    if (erpParts.typeName !== crmParts.typeName) {
      throw badInput(`Cannot couple a ${erpParts.typeName} with a ${crmParts.typeName}`, { argument: 'crmId' });
    }
    if (erpParts.system !== 'erp') throw badInput('erpId must be the id of a record with an ERP side', { argument: 'erpId' });
    if (crmParts.system !== 'crm') throw badInput('crmId must be the id of a record that exists in the CRM only', { argument: 'crmId' });
    const type = this.type(erpParts.typeName);
    const mapping = await this.integration.getRepository(TableMapping).findOneByOrFail({ name: type.mappingName });
    const erp = await this.side(type, 'erp', erpParts.key);
    const crm = await this.side(type, 'crm', crmParts.key);
    if (!matchesFilter(erp, mapping.erpFilter)) throw refused(ErrorCode.RECORD_OUTSIDE_MAPPING, `The ERP record is outside the ${mapping.name} mapping's ERP filter`);
    if (!matchesFilter(crm, mapping.crmFilter)) throw refused(ErrorCode.RECORD_OUTSIDE_MAPPING, `The CRM record is outside the ${mapping.name} mapping's CRM filter`);
    await this.prerequisites.check(mapping.name, erp, crm);

    try {
      return await this.integration.transaction(async (manager) => {
        await lockMappingRecords(manager, mapping.name, 'coupling');
        const [erpRow, crmRow] = await this.lockRows(manager, mapping.name, erpParts.key, crmParts.key);
        if (erpRow?.crmId) throw refused(ErrorCode.ALREADY_COUPLED, `The ERP record is coupled already (to CRM record ${erpRow.crmId})`);
        if (crmRow?.erpId) throw refused(ErrorCode.ALREADY_COUPLED, `The CRM record is coupled already (to ERP record ${crmRow.erpId})`);
        if (crmRow) await manager.delete(IntegrationRecord, { id: crmRow.id });
        const coupled = newCouplingValues(mapping.name, { erp: erpParts.key, crm: crmParts.key }, erp, crm, 'coupling');
        if (erpRow) await manager.update(IntegrationRecord, { id: erpRow.id }, coupled);
        else await manager.insert(IntegrationRecord, { id: randomUUID(), ...coupled });
        const job = await this.jobs.recordCompleted(manager, { type: SyncJobType.COUPLE, mappingName: mapping.name, requestedBy, startedAt }, { coupled: 1 });
        return { id: encodeUnifiedId({ typeName: type.typeName, system: 'erp', key: erpParts.key }), job };
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
        throw refused(ErrorCode.ALREADY_COUPLED, 'One of the records was coupled by someone else just now');
      }
      throw error;
    }
  }

  async uncouple(recordId: string, requestedBy: string): Promise<UncouplingOutcome> {
    const startedAt = new Date();
    const parts = decodeUnifiedId(recordId);
    const type = this.type(parts.typeName);
    return this.integration.transaction(async (manager) => {
      await lockMappingRecords(manager, type.mappingName, 'coupling');
      const column = parts.system === 'erp' ? 'erp_id' : 'crm_id';
      const [link] = await manager
        .getRepository(IntegrationRecord)
        .createQueryBuilder('r')
        .setLock('pessimistic_write')
        .where(`r.mapping_name = :mapping AND r.${column} = :key`, { mapping: type.mappingName, key: parts.key })
        .getMany();
      if (!link || !link.erpId || !link.crmId) throw refused(ErrorCode.NOT_COUPLED, `The ${type.typeName} is not coupled`);
      const crm = await this.side(type, 'crm', link.crmId);
      const mapping = await manager.getRepository(TableMapping).findOneByOrFail({ name: type.mappingName });
      const crmIdentity = identityOf(type.mappingName, 'crm', crm);
      const now = new Date();
      await manager.update(
        IntegrationRecord,
        { id: link.id },
        {
          crmId: null,
          crmModifiedAt: null,
          crmSearchText: null,
          crmRefs: null,
          ...NEVER_SYNCED,
          modifiedAt: now,
          modifiedBy: 'uncoupling',
        },
      );
      await manager.insert(IntegrationRecord, {
        id: randomUUID(),
        mappingName: type.mappingName,
        erpId: null,
        crmId: link.crmId,
        erpCode: null,
        erpInScope: true,
        crmInScope: matchesFilter(crm, mapping.crmFilter),
        erpModifiedAt: null,
        crmModifiedAt: crm.modifiedAt as Date,
        sortKey: crmIdentity.sortKey,
        erpSearchText: null,
        crmSearchText: crmIdentity.searchText,
        crmRefs: crmIdentity.references,
        modifiedAt: now,
        modifiedBy: 'uncoupling',
      });
      const job = await this.jobs.recordCompleted(manager, { type: SyncJobType.UNCOUPLE, mappingName: type.mappingName, requestedBy, startedAt }, { uncoupled: 1 });
      return {
        erpId: encodeUnifiedId({ typeName: type.typeName, system: 'erp', key: link.erpId }),
        crmId: encodeUnifiedId({ typeName: type.typeName, system: 'crm', key: link.crmId }),
        job,
      };
    });
  }

  private type(typeName: string): UnifiedType {
    const type = unifiedType(typeName);
    if (!type) throw badInput(`Records of type ${typeName} cannot be coupled`);
    return type;
  }

  private async side(type: UnifiedType, system: SystemName, key: string): Promise<DomainRecord> {
    const connector = this.connectors[system];
    const [record] = await connector.getByKeys(connector.table(system === 'erp' ? type.erpTable : type.crmTable), [key]);
    if (!record) throw notFound(`No ${system.toUpperCase()} record ${key} for ${type.typeName}`, { argument: system === 'erp' ? 'erpId' : 'crmId' });
    return record;
  }

  private async lockRows(manager: EntityManager, mappingName: string, erpKey: string, crmKey: string): Promise<[IntegrationRecord | null, IntegrationRecord | null]> {
    const rows = await manager
      .getRepository(IntegrationRecord)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.mapping_name = :mappingName AND (r.erp_id = :erpKey OR r.crm_id = :crmKey)', { mappingName, erpKey, crmKey })
      .getMany();
    return [rows.find((row) => row.erpId === erpKey) ?? null, rows.find((row) => row.crmId === crmKey) ?? null];
  }
}
