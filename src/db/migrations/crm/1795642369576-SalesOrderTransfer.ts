import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SalesOrderTransfer1795642369576 implements MigrationInterface {
  name = 'SalesOrderTransfer1795642369576';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "crm"."sales_order" ADD "payment_terms_code" integer`);
    await queryRunner.query(`ALTER TABLE "crm"."sales_order" ADD "freight_terms_code" integer`);
    await queryRunner.query(`ALTER TABLE "crm"."sales_order" ADD "shipping_method_code" integer`);
    await queryRunner.query(`ALTER TABLE "crm"."sales_order" ADD "last_backoffice_submit" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "crm"."sales_order" DROP COLUMN "last_backoffice_submit"`);
    await queryRunner.query(`ALTER TABLE "crm"."sales_order" DROP COLUMN "shipping_method_code"`);
    await queryRunner.query(`ALTER TABLE "crm"."sales_order" DROP COLUMN "freight_terms_code"`);
    await queryRunner.query(`ALTER TABLE "crm"."sales_order" DROP COLUMN "payment_terms_code"`);
  }
}
