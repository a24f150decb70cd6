import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: coupled records only by default (Business Central's default), conflicts counted apart
 * from failures, pausable full synchronisations, and mappings held after a cancellation.
 */
export class SyncYouCanTrust1795700000000 implements MigrationInterface {
  name = 'SyncYouCanTrust1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" ALTER COLUMN "sync_only_coupled_records" SET DEFAULT true`);
    // Mappings as installed take the new default; one an administrator has changed stays as it was set.
    await queryRunner.query(`UPDATE "integration"."table_mapping" SET "sync_only_coupled_records" = true WHERE "modified_by" = 'standard-mappings'`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" ADD "suspended_by_run_id" uuid`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" ADD "conflicts" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`DROP INDEX "integration"."UQ_full_sync_run_running"`);
    // On a constant: one unfinished run, whether it runs or is paused (an index on the status would allow one of each).
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_full_sync_run_running" ON "integration"."full_sync_run" ((true)) WHERE status IN ('RUNNING', 'PAUSED')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "integration"."UQ_full_sync_run_running"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_full_sync_run_running" ON "integration"."full_sync_run" ("status") WHERE status = 'RUNNING'`);
    await queryRunner.query(`ALTER TABLE "integration"."sync_job" DROP COLUMN "conflicts"`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" DROP COLUMN "suspended_by_run_id"`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" ALTER COLUMN "sync_only_coupled_records" SET DEFAULT false`);
  }
}
