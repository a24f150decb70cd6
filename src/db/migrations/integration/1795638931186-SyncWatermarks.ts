import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SyncWatermarks1795638931186 implements MigrationInterface {
  name = 'SyncWatermarks1795638931186';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" ADD "erp_synced_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" ADD "crm_synced_until" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" DROP COLUMN "crm_synced_until"`);
    await queryRunner.query(`ALTER TABLE "integration"."table_mapping" DROP COLUMN "erp_synced_until"`);
  }
}
