import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: every value the engine writes, one row per record written with the fields it changed
 * (old and new value, reason) as JSON, found by either side's key. Written set-based beside each
 * chunk's couplings; json rather than jsonb, as rows are written far more often than read.
 */
export class FieldLineage1796200000000 implements MigrationInterface {
  name = 'FieldLineage1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "integration"."field_lineage" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "at" timestamptz NOT NULL,
      "job_id" uuid,
      "mapping_name" varchar(30) NOT NULL,
      "erp_id" uuid NOT NULL,
      "crm_id" uuid NOT NULL,
      "direction" varchar(8) NOT NULL,
      "changes" json NOT NULL,
      CONSTRAINT "PK_field_lineage" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_field_lineage_erp" ON "integration"."field_lineage" ("erp_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_field_lineage_crm" ON "integration"."field_lineage" ("crm_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "integration"."field_lineage"`);
  }
}
