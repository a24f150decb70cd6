import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CoupledListIndex1796093554557 implements MigrationInterface {
  name = 'CoupledListIndex1796093554557';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_integration_record_coupled_list" ON "integration"."integration_record" ("mapping_name", "sort_key", "id") WHERE erp_id IS NOT NULL AND crm_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "integration"."IDX_integration_record_coupled_list"`);
  }
}
