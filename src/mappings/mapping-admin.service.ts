import type { DataSource, EntityManager } from 'typeorm';
import { requireUuid } from '../errors/input-checks';
import { FieldMapping, FieldTransformation } from '../../entities/integration/field-mapping.entity';
import type { RecordFilter } from '../../entities/integration/record-filter';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { ConflictResolution, DeletionConflictResolution, TableMapping } from '../../entities/integration/table-mapping.entity';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import { badInput, notFound, refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';

export interface TableMappingChange {
  readonly direction?: SyncDirection | null;
  readonly erpFilter?: RecordFilter | null;
  readonly crmFilter?: RecordFilter | null;
  readonly syncOnlyCoupledRecords?: boolean | null;
  readonly updateConflictResolution?: ConflictResolution | null;
  readonly deletionConflictResolution?: DeletionConflictResolution | null;
  readonly incrementalIntervalSeconds?: number | null;
  /** 0 turns the duplicate review off (null leaves the threshold as it is). */
  readonly duplicateThreshold?: number | null;
}

export interface FieldMappingChange {
  readonly direction?: SyncDirection | null;
  readonly enabled?: boolean | null;
  readonly constantValue?: string | null;
  readonly transformation?: FieldTransformation | null;
}

/** Transformations an administrator may switch between; the others need a source and stay as installed. */
const SWITCHABLE = new Set([FieldTransformation.NONE, FieldTransformation.TRUNCATE]);

/**
 * Changes to table and field mappings, each validated completely before anything is written and
 * written in one transaction.
 */
export class MappingAdminService {
  constructor(
    private readonly integration: DataSource,
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
  ) {}

  list(): Promise<TableMapping[]> {
    return this.integration.getRepository(TableMapping).find({ order: { sequence: 'ASC' } });
  }

  async updateTableMapping(name: string, change: TableMappingChange, by: string): Promise<TableMapping> {
    return this.integration.transaction(async (manager) => {
      const mapping = await this.lockTableMapping(manager, name);
      if (change.direction) {
        if (!mapping.allowedDirections.includes(change.direction)) {
          throw refused(ErrorCode.DIRECTION_NOT_ALLOWED, `${name} can run ${mapping.allowedDirections.join(' or ')}, not ${change.direction}`, {
            allowedDirections: mapping.allowedDirections,
          });
        }
        mapping.direction = change.direction;
      }
      if (change.erpFilter) {
        this.connectors.erp.checkFilter(this.connectors.erp.table(mapping.erpTable), change.erpFilter);
        mapping.erpFilter = change.erpFilter;
      }
      if (change.crmFilter) {
        this.connectors.crm.checkFilter(this.connectors.crm.table(mapping.crmTable), change.crmFilter);
        mapping.crmFilter = change.crmFilter;
      }
      if (change.syncOnlyCoupledRecords !== undefined && change.syncOnlyCoupledRecords !== null) mapping.syncOnlyCoupledRecords = change.syncOnlyCoupledRecords;
      if (change.updateConflictResolution) mapping.updateConflictResolution = change.updateConflictResolution;
      if (change.deletionConflictResolution) mapping.deletionConflictResolution = change.deletionConflictResolution;
      if (change.incrementalIntervalSeconds !== undefined && change.incrementalIntervalSeconds !== null) {
        const seconds = change.incrementalIntervalSeconds;
        if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
          throw badInput('incrementalIntervalSeconds must be a whole number of seconds from 1 to 86400', { argument: 'incrementalIntervalSeconds' });
        }
        mapping.incrementalIntervalSeconds = seconds;
      }
      if (change.duplicateThreshold !== undefined && change.duplicateThreshold !== null) {
        const threshold = change.duplicateThreshold;
        if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw badInput('duplicateThreshold must be from 0 (no review) to 1', { argument: 'duplicateThreshold' });
        mapping.duplicateThreshold = threshold === 0 ? null : threshold;
      }
      mapping.modifiedAt = new Date();
      mapping.modifiedBy = by.slice(0, 50);
      return manager.save(mapping);
    });
  }

  async updateFieldMapping(id: string, change: FieldMappingChange, by: string): Promise<FieldMapping> {
    requireUuid(id, 'id', 'field mapping id');
    return this.integration.transaction(async (manager) => {
      const field = await manager.getRepository(FieldMapping).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!field) throw notFound(`No field mapping with id ${id}`, { argument: 'id' });
      const table = await this.lockTableMapping(manager, field.tableMappingName);
      const direction = change.direction ?? field.direction;
      const transformation = change.transformation ?? field.transformation;
      const constantValue = change.constantValue !== undefined ? change.constantValue : field.constantValue;
      const label = `${table.name} ${field.erpField ?? '(constant)'} ⇄ ${field.crmField}`;

      if (!table.allowedDirections.includes(direction)) {
        throw refused(ErrorCode.DIRECTION_NOT_ALLOWED, `${label}: the table mapping runs ${table.allowedDirections.join(' or ')}, so a field cannot run ${direction}`);
      }
      if (transformation === FieldTransformation.OPTION && direction === SyncDirection.BIDIRECTIONAL) {
        throw refused(ErrorCode.OPTION_MAPPING_NOT_BIDIRECTIONAL, `${label}: option mappings translate ERP codes into CRM options and cannot be bidirectional`);
      }
      if (transformation !== field.transformation && !(SWITCHABLE.has(transformation) && SWITCHABLE.has(field.transformation))) {
        throw badInput(`${label}: the transformation can switch between NONE and TRUNCATE only, not from ${field.transformation} to ${transformation}`);
      }
      if (field.erpField === null && constantValue === null) throw badInput(`${label}: a field with no ERP field needs a constant value`);
      if (constantValue !== null && direction === SyncDirection.BIDIRECTIONAL) throw badInput(`${label}: a constant value flows one way; choose TO_CRM or FROM_CRM`);

      Object.assign(field, {
        direction,
        transformation,
        constantValue,
        enabled: change.enabled ?? field.enabled,
        modifiedAt: new Date(),
        modifiedBy: by.slice(0, 50),
      });
      return manager.save(field);
    });
  }

  private async lockTableMapping(manager: EntityManager, name: string): Promise<TableMapping> {
    const mapping = await manager.getRepository(TableMapping).findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
    if (!mapping) throw notFound(`No table mapping named "${name}"`, { argument: 'name' });
    return mapping;
  }
}
