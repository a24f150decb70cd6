import type { Pool } from 'pg';
import { SyncDirection } from '../../../entities/integration/sync-direction';

const key = (mappingName: string, erpField: string, crmField: string) => `${mappingName}\n${erpField}\n${crmField}`;

/**
 * The merge directions of every field mapping at one version of the field mappings (the
 * FieldMappingVersion migration counts it up with each change), read in one snapshot. A compiled
 * statement writes them as constants and answers only while its version is the store's.
 */
export class MergeDirections {
  /** Before the first read: versions count up from 0, so a statement written with it never answers. */
  static readonly UNREAD = new MergeDirections('-1', new Map());

  private constructor(
    readonly version: string,
    private readonly directions: ReadonlyMap<string, SyncDirection>,
  ) {}

  /** The statement that reads them: the version and each field pair's first enabled mapping by sequence. */
  static readonly SQL = `SELECT v.version::text AS version, coalesce((
      SELECT json_agg(json_build_array(f.table_mapping_name, f.erp_field, f.crm_field, f.direction))
      FROM (SELECT DISTINCT ON (table_mapping_name, erp_field, crm_field) table_mapping_name, erp_field, crm_field, direction
            FROM integration.field_mapping WHERE enabled ORDER BY table_mapping_name, erp_field, crm_field, sequence) f), '[]') AS directions
    FROM integration.field_mapping_version v`;

  static async read(pool: Pool): Promise<MergeDirections> {
    const { rows } = await pool.query<{ version: string; directions: Array<[string, string, string, SyncDirection]> }>(MergeDirections.SQL);
    const { version, directions } = rows[0]!;
    return new MergeDirections(version, new Map(directions.map(([mappingName, erpField, crmField, direction]) => [key(mappingName, erpField, crmField), direction])));
  }

  /** As mergeFields takes it: the first enabled field mapping's direction between the two fields, TO_CRM when there is none. */
  of(mappingName: string, erpField: string, crmField: string): SyncDirection {
    return this.directions.get(key(mappingName, erpField, crmField)) ?? SyncDirection.TO_CRM;
  }
}
