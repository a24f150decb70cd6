import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A pair's sides changed when a run began writing it, kept until the run records it (see IntegrationRecord.pendingChanges). */
export class PendingChanges1796100000000 implements MigrationInterface {
  name = 'PendingChanges1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" ADD "pending_changes" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" DROP COLUMN "pending_changes"`);
  }
}
