import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 12: progress for a full synchronisation as a whole: each job's expected records from the run's start, and where the run's rate is measured from. */
export class RunProgress1796200000001 implements MigrationInterface {
  name = 'RunProgress1796200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "planned_total" integer`);
    await queryRunner.query(`ALTER TABLE "integration"."full_sync_run" ADD "rate_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "integration"."full_sync_run" ADD "processed_at_rate_since" integer NOT NULL DEFAULT '0'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."full_sync_run" DROP COLUMN "processed_at_rate_since"`);
    await queryRunner.query(`ALTER TABLE "integration"."full_sync_run" DROP COLUMN "rate_since"`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "planned_total"`);
  }
}
