import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: every start added another copy of each constant field mapping (no ERP field), since
 * the unique index took their NULL ERP fields for distinct values. The copies go, and the index
 * treats NULLs as equal.
 */
export class ConstantFieldMappingsOnce1795699999999 implements MigrationInterface {
  name = 'ConstantFieldMappingsOnce1795699999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Of each set of copies the one an administrator changed last stays (the installer's copies are alike).
    await queryRunner.query(`
      DELETE FROM "integration"."field_mapping" f
       USING (SELECT id, row_number() OVER (PARTITION BY table_mapping_name, erp_field, crm_field ORDER BY modified_at DESC, id) AS n
                FROM "integration"."field_mapping") ranked
       WHERE f.id = ranked.id AND ranked.n > 1`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_6c72a8d1eb144d5e9568a29dc4"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_field_mapping_fields" ON "integration"."field_mapping" ("table_mapping_name", "erp_field", "crm_field") NULLS NOT DISTINCT`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "integration"."UQ_field_mapping_fields"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_6c72a8d1eb144d5e9568a29dc4" ON "integration"."field_mapping" ("table_mapping_name", "erp_field", "crm_field")`);
  }
}
