import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ConnectionSetup1795642375711 implements MigrationInterface {
  name = 'ConnectionSetup1795642375711';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "integration"."connection_setup" ("primary_key" character varying(10) NOT NULL DEFAULT '', "sales_order_integration_enabled" boolean NOT NULL DEFAULT false, "auto_create_sales_orders" boolean NOT NULL DEFAULT false, "item_availability_enabled" boolean NOT NULL DEFAULT false, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(100) NOT NULL, CONSTRAINT "PK_67b57146f249876e92304378598" PRIMARY KEY ("primary_key"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "integration"."connection_setup"`);
  }
}
