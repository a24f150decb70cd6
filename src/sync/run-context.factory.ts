import type { DataSource } from 'typeorm';
import { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { matchesFilter } from '../connectors/filter-match';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import { notFound, refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { noCounts } from '../jobs/job-counters';
import { transferredMappings } from '../mappings/standard-mappings';
import { mergeFieldsOf, type FieldChoices } from './field-merge';
import type { DryRun } from './dry-run';
import type { FieldTransformer } from './field-transformer';
import type { RunContext } from './sync-run';
import { writeInProductNo } from './write-in-product';

export interface RunSpec {
  readonly mappingName: string;
  readonly forced: SystemName | null;
  /** A full synchronisation creates and couples counterparts of uncoupled records, whatever the mapping says, for its own run. */
  readonly createUncoupled?: boolean;
  /** When a resumed job first started. */
  readonly startedAt?: Date;
  /** An operator's side per field in conflict. */
  readonly fieldChoices?: FieldChoices;
  /** The job the run writes for, when it exists already (a full synchronisation's). */
  readonly jobId?: string;
  /** Decides and counts without writing (see DryRun). */
  readonly dryRun?: DryRun;
}

/** Sets a run up: its mapping, field mappings, rules and tables, and counters at zero. */
export class RunContextFactory {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly transformer: FieldTransformer,
  ) {}

  async create(spec: RunSpec): Promise<RunContext> {
    const attemptStartedAt = new Date();
    const mapping = await this.integration.getRepository(TableMapping).findOneBy({ name: spec.mappingName });
    if (!mapping) throw notFound(`No table mapping named "${spec.mappingName}"`, { argument: 'mapping' });
    if (transferredMappings.has(mapping.name)) {
      throw refused(ErrorCode.MAPPING_NOT_SYNCHRONISED, `${mapping.name}: a CRM sales order becomes an ERP sales order with its lines by a transfer, not field by field`);
    }
    const fields = await this.integration.getRepository(FieldMapping).find({ where: { tableMappingName: mapping.name }, order: { sequence: 'ASC' } });
    const writeInNo = await writeInProductNo(this.connectors.erp, mapping.name);
    return {
      mapping,
      fields,
      forced: spec.forced,
      rules: {
        direction: mapping.direction,
        syncOnlyCoupledRecords: spec.createUncoupled ? false : mapping.syncOnlyCoupledRecords,
        updateConflictResolution: mapping.updateConflictResolution,
        erpInScope: (record) => matchesFilter(record, mapping.erpFilter),
        crmInScope: (record) => matchesFilter(record, mapping.crmFilter),
        erpExcluded: writeInNo === null ? () => false : (record) => record.no === writeInNo,
        integrationUserId: await this.integrationUserId(),
        fields: mergeFieldsOf(mapping.direction, fields),
        fieldChoices: spec.fieldChoices ?? null,
      },
      tables: { erp: this.connectors.erp.table(mapping.erpTable), crm: this.connectors.crm.table(mapping.crmTable) },
      counters: noCounts(),
      processed: 0,
      startedAt: spec.startedAt ?? attemptStartedAt,
      attemptStartedAt,
      notes: new Map(),
      references: this.transformer.referencesForRun(spec.dryRun?.planned),
      jobId: spec.jobId ?? null,
      dryRun: spec.dryRun ?? null,
    };
  }

  private async integrationUserId(): Promise<string | null> {
    const [user] = await this.connectors.crm.getByField(this.connectors.crm.table('system_user'), 'isIntegrationUser', [true]);
    return user ? this.connectors.crm.keyOf(this.connectors.crm.table('system_user'), user) : null;
  }
}
