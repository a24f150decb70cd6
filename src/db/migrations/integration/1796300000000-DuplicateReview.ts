import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The mappings whose records people create by hand on both sides, so that a sync may duplicate them. */
const REVIEWED = ['CUSTOMER', 'CONTACT', 'ITEM-PRODUCT', 'RESOURCE-PRODUCT', 'OPPORTUNITY'];

/**
 * Issue 12: duplicate review before create. A record a sync would create in the other system is
 * held when that system has a likely match (score ≥ the mapping's threshold, pg_trgm trigram
 * similarity): the queue of held records with their candidates, the pairs an operator said are
 * not duplicates, and the job counter of held records.
 */
export class DuplicateReview1796300000000 implements MigrationInterface {
  name = 'DuplicateReview1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" ADD "duplicate_threshold" double precision`);
    await queryRunner.query(`UPDATE "integration"."table_mapping" SET "duplicate_threshold" = 0.8 WHERE "name" = ANY($1)`, [REVIEWED]);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "held_as_duplicate" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`CREATE TABLE "integration"."possible_duplicate" (
      "id" uuid NOT NULL,
      "mapping_name" varchar(30) NOT NULL,
      "side" varchar(3) NOT NULL,
      "record_key" uuid NOT NULL,
      "candidate_keys" uuid[] NOT NULL,
      "candidates" jsonb NOT NULL,
      "job_id" uuid,
      "held_at" timestamptz NOT NULL,
      CONSTRAINT "PK_possible_duplicate" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_possible_duplicate_record" UNIQUE ("mapping_name", "side", "record_key"))`);
    await queryRunner.query(`CREATE INDEX "IDX_possible_duplicate_list" ON "integration"."possible_duplicate" ("mapping_name", "held_at", "id")`);
    await queryRunner.query(`CREATE TABLE "integration"."duplicate_dismissal" (
      "mapping_name" varchar(30) NOT NULL,
      "erp_id" uuid NOT NULL,
      "crm_id" uuid NOT NULL,
      "dismissed_at" timestamptz NOT NULL,
      "dismissed_by" varchar(100) NOT NULL,
      CONSTRAINT "PK_duplicate_dismissal" PRIMARY KEY ("mapping_name", "erp_id", "crm_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_duplicate_dismissal_crm" ON "integration"."duplicate_dismissal" ("mapping_name", "crm_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "integration"."duplicate_dismissal"`);
    await queryRunner.query(`DROP TABLE "integration"."possible_duplicate"`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "held_as_duplicate"`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" DROP COLUMN "duplicate_threshold"`);
  }
}
