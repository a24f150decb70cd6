import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: the index keeps each record's references (entities/integration/record-references.ts),
 * so that a page's statement to the integration store finds its related records' links too. The
 * GIN indexes find the records that refer to given values (a customer's contacts); without the
 * pending list (fastupdate), which every search would scan until a vacuum empties it. Existing rows
 * have none yet (null): the discovery cursors start over, so the read model's start-up catch-up
 * reads every record again and fills them in (/readyz answers 503 until it has).
 */
export class RecordReferences1796720000000 implements MigrationInterface {
  name = 'RecordReferences1796720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" ADD "erp_refs" text`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" ADD "crm_refs" text`);
    await queryRunner.query(
      `CREATE INDEX "IDX_integration_record_erp_refs" ON "integration"."integration_record" USING gin (string_to_array(erp_refs, E'\\n')) WITH (fastupdate = off)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_integration_record_crm_refs" ON "integration"."integration_record" USING gin (string_to_array(crm_refs, E'\\n')) WITH (fastupdate = off)`,
    );
    await queryRunner.query(`UPDATE "integration"."table_mapping" SET erp_discovered_at = NULL, erp_discovered_key = NULL, crm_discovered_at = NULL, crm_discovered_key = NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "integration"."IDX_integration_record_crm_refs"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_integration_record_erp_refs"`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" DROP COLUMN "crm_refs"`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" DROP COLUMN "erp_refs"`);
  }
}
