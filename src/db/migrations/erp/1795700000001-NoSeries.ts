import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The series the records created from the CRM take their numbers from (issue 12, defect 6). */
const SERIES = [
  ['SALESPERS', 'Salespeople', 'salesperson_purchaser', 'SP0001'],
  ['CUST', 'Customers', 'customer', 'CUST000001'],
  ['CONT', 'Contacts', 'contact', 'CONT000001'],
  ['ITEM', 'Items', 'item', 'ITEM000001'],
  ['RES', 'Resources', 'resource', 'RES000001'],
  ['OPP', 'Opportunities', 'opportunity', 'OPP000001'],
  ['S-ORD', 'Sales orders', 'sales_header', 'SO000001'],
] as const;

export class NoSeries1795700000001 implements MigrationInterface {
  name = 'NoSeries1795700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "erp"."no_series" ("code" character varying(20) NOT NULL, "description" character varying(100) NOT NULL, "table_name" character varying(60) NOT NULL, "starting_no" character varying(20) NOT NULL, "last_no_used" character varying(20), "increment_by" integer NOT NULL DEFAULT '1', "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, CONSTRAINT "PK_no_series_code" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_no_series_table_name" ON "erp"."no_series" ("table_name") `);
    for (const [code, description, table, startingNo] of SERIES) {
      await queryRunner.query(`INSERT INTO "erp"."no_series" (code, description, table_name, starting_no, modified_at, modified_by) VALUES ($1, $2, $3, $4, now(), 'setup')`, [
        code,
        description,
        table,
        startingNo,
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "erp"."no_series"`);
  }
}
