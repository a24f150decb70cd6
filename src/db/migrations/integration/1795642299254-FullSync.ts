import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FullSync1795642299254 implements MigrationInterface {
  name = 'FullSync1795642299254';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "integration"."full_sync_run" ("id" uuid NOT NULL, "status" character varying(20) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "requested_by" character varying(100) NOT NULL, "message" text, CONSTRAINT "PK_cc574263a3226815efbdbf664e9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_full_sync_run_running" ON "integration"."full_sync_run"  ("status") WHERE status = 'RUNNING'`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "run_id" uuid`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "processed" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "estimated_total" integer`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "resume_modified_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "resume_key" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "queue_job_id" uuid`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" ADD "incremental_interval_seconds" integer NOT NULL DEFAULT '300'`);
    await queryRunner.query(`CREATE INDEX "IDX_a3da7225297bca0a4c43b97bec" ON "integration"."sync_job"  ("run_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "integration"."IDX_a3da7225297bca0a4c43b97bec"`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" DROP COLUMN "incremental_interval_seconds"`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "queue_job_id"`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "resume_key"`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "resume_modified_at"`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "estimated_total"`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "processed"`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "run_id"`);
    await queryRunner.query(`DROP INDEX "integration"."UQ_full_sync_run_running"`);
    await queryRunner.query(`DROP TABLE "integration"."full_sync_run"`);
  }
}
