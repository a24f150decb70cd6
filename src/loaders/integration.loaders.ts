import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { SystemName } from '../connectors/system-connector';
import type { BatchWaves } from './batch-waves';

/** The integration store's rows for one request: mappings, and couplings by either side's key. */
export class IntegrationLoaders {
  private readonly records = new Map<string, DataLoader<string, IntegrationRecord | null>>();

  readonly tableMapping: DataLoader<string, TableMapping | null>;
  readonly fieldMappings: DataLoader<string, FieldMapping[]>;

  constructor(
    private readonly integration: DataSource,
    private readonly waves: BatchWaves,
  ) {
    const options = { batchScheduleFn: waves.schedule };
    this.tableMapping = new DataLoader(
      waves.track(async (names) => {
        const rows = await integration.getRepository(TableMapping).findBy({ name: In([...names]) });
        return names.map((name) => rows.find((row) => row.name === name) ?? null);
      }),
      options,
    );
    this.fieldMappings = new DataLoader(
      waves.track(async (names) => {
        const rows = await integration.getRepository(FieldMapping).find({
          where: { tableMappingName: In([...names]) },
          order: { sequence: 'ASC' },
        });
        return names.map((name) => rows.filter((row) => row.tableMappingName === name));
      }),
      options,
    );
  }

  /** The integration record (coupling or one-sided index row) of a mapping by one side's key. */
  recordBy(mappingName: string, system: SystemName): DataLoader<string, IntegrationRecord | null> {
    const id = `${mappingName}:${system}`;
    let loader = this.records.get(id);
    if (!loader) {
      const column = system === 'erp' ? 'erpId' : 'crmId';
      loader = new DataLoader(
        this.waves.track(async (keys) => {
          const rows = await this.integration.getRepository(IntegrationRecord).findBy({ mappingName, [column]: In([...keys]) });
          const byKey = new Map(rows.map((row) => [row[column], row]));
          return keys.map((key) => byKey.get(key) ?? null);
        }),
        { batchScheduleFn: this.waves.schedule },
      );
      this.records.set(id, loader);
    }
    return loader;
  }

  /** Primes the coupling loaders with rows a list query already returned. */
  prime(record: IntegrationRecord): void {
    if (record.erpId) this.recordBy(record.mappingName, 'erp').prime(record.erpId, record);
    if (record.crmId) this.recordBy(record.mappingName, 'crm').prime(record.crmId, record);
  }
}
