import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { FieldMapping, FieldTransformation } from '../../entities/integration/field-mapping.entity';
import { OptionMapping } from '../../entities/integration/option-mapping.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { allowedDirections, standardOptionMappings, standardTableMappings } from './standard-mappings';

const INSTALLER = 'standard-mappings';

/**
 * Adds the standard table, field and option mappings that are missing; mappings that exist are
 * left as an administrator may have changed them.
 */
export async function installStandardMappings(integration: DataSource): Promise<void> {
  const now = new Date();
  await integration.transaction(async (manager) => {
    await manager
      .createQueryBuilder()
      .insert()
      .into(TableMapping)
      .values(
        standardTableMappings.map((m, index) => ({
          name: m.name,
          erpTable: m.erpTable,
          crmTable: m.crmTable,
          direction: m.direction,
          allowedDirections: allowedDirections(m.direction),
          erpFilter: m.erpFilter,
          crmFilter: m.crmFilter,
          dependsOn: [...m.dependsOn],
          duplicateThreshold: m.duplicateThreshold ?? null,
          sequence: (index + 1) * 10,
          modifiedAt: now,
          modifiedBy: INSTALLER,
        })) as never,
      )
      .orIgnore()
      .execute();
    await manager
      .createQueryBuilder()
      .insert()
      .into(FieldMapping)
      .values(
        standardTableMappings.flatMap((m) =>
          m.fields.map((f, index) => ({
            id: randomUUID(),
            tableMappingName: m.name,
            erpField: f.erp,
            crmField: f.crm,
            direction: f.direction,
            enabled: true,
            constantValue: f.constant ?? null,
            transformation: f.transformation ?? FieldTransformation.NONE,
            transformationSource: f.source ?? null,
            matchField: f.match ?? false,
            sequence: (index + 1) * 10,
            modifiedAt: now,
            modifiedBy: INSTALLER,
          })),
        ),
      )
      .orIgnore()
      .execute();
    await manager
      .createQueryBuilder()
      .insert()
      .into(OptionMapping)
      .values(standardOptionMappings.map((o) => ({ ...o, modifiedAt: now, modifiedBy: INSTALLER })))
      .orIgnore()
      .execute();
  });
}
