import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795634901614 implements MigrationInterface {
  name = 'Initial1795634901614';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" DROP COLUMN "search_text"`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" ADD "erp_search_text" text`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" ADD "crm_search_text" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" DROP COLUMN "crm_search_text"`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" DROP COLUMN "erp_search_text"`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" ADD "search_text" text NOT NULL`);
  }
}
