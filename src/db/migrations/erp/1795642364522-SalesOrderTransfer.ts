import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SalesOrderTransfer1795642364522 implements MigrationInterface {
  name = 'SalesOrderTransfer1795642364522';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "erp"."sales_header" ADD "payment_terms_code" character varying(10)`);
    await queryRunner.query(`ALTER TABLE "erp"."sales_header" ADD "shipment_method_code" character varying(10)`);
    await queryRunner.query(`ALTER TABLE "erp"."sales_header" ADD "shipping_agent_code" character varying(10)`);
    await queryRunner.query(`CREATE INDEX "IDX_9bea654a4f6d0042feae4db586" ON "erp"."sales_header"  ("your_reference") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "erp"."IDX_9bea654a4f6d0042feae4db586"`);
    await queryRunner.query(`ALTER TABLE "erp"."sales_header" DROP COLUMN "shipping_agent_code"`);
    await queryRunner.query(`ALTER TABLE "erp"."sales_header" DROP COLUMN "shipment_method_code"`);
    await queryRunner.query(`ALTER TABLE "erp"."sales_header" DROP COLUMN "payment_terms_code"`);
  }
}
