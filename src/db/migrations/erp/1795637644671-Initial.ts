import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795637644671 implements MigrationInterface {
  name = 'Initial1795637644671';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "erp"."contact" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "no" character varying(20) NOT NULL, "name" character varying(100) NOT NULL, "type" character varying(20) NOT NULL, "company_no" character varying(20), "customer_no" character varying(20), "job_title" character varying(30), "email" character varying(80), "phone_no" character varying(30), "salesperson_code" character varying(20), CONSTRAINT "PK_7b39666d0cf64c0d9a730d62801" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_78c90feb44702af9f6c022d8aa" ON "erp"."contact"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_eb5543d2f1e4b7035d6b0808c8" ON "erp"."contact"  ("no") `);
    await queryRunner.query(`CREATE INDEX "IDX_e95f16bcb9e7fbddd704d5fc01" ON "erp"."contact"  ("company_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_bd7435994a5062d926a508f7ce" ON "erp"."contact"  ("customer_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_f8219fa49824ecaa0f4e976983" ON "erp"."contact"  ("salesperson_code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."currency" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "code" character varying(10) NOT NULL, "description" character varying(30) NOT NULL, "iso_code" character varying(3), "symbol" character varying(10), "exchange_rate" numeric(22,10) NOT NULL, CONSTRAINT "PK_5d3481cf09e3d9dec8b601c8bb2" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_74be8e8eb51d97d64a5310a44d" ON "erp"."currency"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_723472e41cae44beb0763f4039" ON "erp"."currency"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."customer" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "no" character varying(20) NOT NULL, "name" character varying(100) NOT NULL, "address" character varying(100), "city" character varying(30), "post_code" character varying(20), "country_region_code" character varying(10), "phone_no" character varying(30), "email" character varying(80), "salesperson_code" character varying(20), "currency_code" character varying(10), "customer_price_group" character varying(10), "payment_terms_code" character varying(10), "shipment_method_code" character varying(10), "shipping_agent_code" character varying(10), "credit_limit_lcy" numeric(18,2) NOT NULL DEFAULT '0', "blocked" character varying(10) NOT NULL DEFAULT 'NONE', CONSTRAINT "PK_024ca641acfafe86d4ed2371aa6" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7a601c29b5a74f4214c78383be" ON "erp"."customer"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_710abdd2360245b815d71de720" ON "erp"."customer"  ("no") `);
    await queryRunner.query(`CREATE INDEX "IDX_ddb7936a5a412050a75eafb4c2" ON "erp"."customer"  ("salesperson_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_e8cd5b7d8a52f69ff637e2db8d" ON "erp"."customer"  ("currency_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_2dba3747a058be1680a20bf206" ON "erp"."customer"  ("customer_price_group") `);
    await queryRunner.query(`CREATE INDEX "IDX_19a9eedf84e3aea1faa20602cf" ON "erp"."customer"  ("payment_terms_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_03ae7afef199741d9020b5f9fe" ON "erp"."customer"  ("shipment_method_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_e256f9d9eccb28d32d3ef66223" ON "erp"."customer"  ("shipping_agent_code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."customer_price_group" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "code" character varying(10) NOT NULL, "description" character varying(100) NOT NULL, "allow_invoice_disc" boolean NOT NULL DEFAULT true, "price_includes_vat" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_c04ec09c0739b72619e4232d270" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_e59004f02fccc7e41efed3b29b" ON "erp"."customer_price_group"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_3248ff0b55156aa943b36ed0d3" ON "erp"."customer_price_group"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."item" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "no" character varying(20) NOT NULL, "description" character varying(100) NOT NULL, "type" character varying(20) NOT NULL, "base_unit_of_measure" character varying(10) NOT NULL, "unit_price" numeric(18,2) NOT NULL, "unit_cost" numeric(18,2) NOT NULL, "inventory" numeric(18,2) NOT NULL, "blocked" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_dc7585ae7b404cb338bb16318d7" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_17a1bc66a72854e6ad613cba22" ON "erp"."item"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_cdd077f55c6446cb556d4d3968" ON "erp"."item"  ("no") `);
    await queryRunner.query(`CREATE INDEX "IDX_59a9be90825b78d1bbf4793b9a" ON "erp"."item"  ("base_unit_of_measure") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."opportunity" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "no" character varying(20) NOT NULL, "description" character varying(100) NOT NULL, "contact_no" character varying(20) NOT NULL, "contact_company_no" character varying(20), "customer_no" character varying(20), "salesperson_code" character varying(20), "status" character varying(20) NOT NULL, "estimated_value_lcy" numeric(18,2) NOT NULL, "estimated_closing_date" date, "probability_pct" integer NOT NULL, CONSTRAINT "PK_0984094e68a5c6892fe8f96bbdc" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_9f9f89b28957ac1062e63641bc" ON "erp"."opportunity"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_51fc4b64e4f151ff416ce2da7c" ON "erp"."opportunity"  ("no") `);
    await queryRunner.query(`CREATE INDEX "IDX_c11e4d3b53cdb3e99324261d71" ON "erp"."opportunity"  ("contact_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_ea4006d7d38d9fd2be752f1007" ON "erp"."opportunity"  ("contact_company_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_31d565573c4d1d4208fd7c2934" ON "erp"."opportunity"  ("customer_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_849cf0b52e0b9038c6f04558e3" ON "erp"."opportunity"  ("salesperson_code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."payment_terms" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "code" character varying(10) NOT NULL, "description" character varying(100) NOT NULL, "due_date_calculation" character varying(20) NOT NULL, CONSTRAINT "PK_278345b3de6e86af1b96d80dfa8" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_126d42702b56ab630e39eee249" ON "erp"."payment_terms"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_6865a92e362aa910162541f749" ON "erp"."payment_terms"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."resource" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "no" character varying(20) NOT NULL, "name" character varying(100) NOT NULL, "type" character varying(20) NOT NULL, "base_unit_of_measure" character varying(10) NOT NULL, "unit_price" numeric(18,2) NOT NULL, "unit_cost" numeric(18,2) NOT NULL, "blocked" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_f468b4dfb878acb76e48026803b" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_3b5928fe8c68109ad8a56e422f" ON "erp"."resource"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_411def4cccd71c88830498e074" ON "erp"."resource"  ("no") `);
    await queryRunner.query(`CREATE INDEX "IDX_7873f323ab132c7ffbf00f969d" ON "erp"."resource"  ("base_unit_of_measure") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."sales_header" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "document_type" character varying(20) NOT NULL DEFAULT 'ORDER', "no" character varying(20) NOT NULL, "sell_to_customer_no" character varying(20) NOT NULL, "order_date" date NOT NULL, "currency_code" character varying(10), "salesperson_code" character varying(20), "external_document_no" character varying(35), "your_reference" character varying(35), "status" character varying(20) NOT NULL DEFAULT 'OPEN', CONSTRAINT "PK_057c3d02f6c332068f68aeab681" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7dec1b5d0a2079c8100b11f81d" ON "erp"."sales_header"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_e49d0e65c6d8869ea27861a81d" ON "erp"."sales_header"  ("sell_to_customer_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_8014a893c8fc8ebb78d27afee4" ON "erp"."sales_header"  ("currency_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_e1ed49d1eb29075339a9bd8344" ON "erp"."sales_header"  ("salesperson_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_771fcff425135c6cd9c8c17ec2" ON "erp"."sales_header"  ("document_type", "no") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."sales_invoice_header" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "no" character varying(20) NOT NULL, "sell_to_customer_no" character varying(20) NOT NULL, "bill_to_customer_no" character varying(20) NOT NULL, "posting_date" date NOT NULL, "due_date" date, "currency_code" character varying(10), "salesperson_code" character varying(20), "external_document_no" character varying(35), "your_reference" character varying(35), "amount" numeric(18,2) NOT NULL, "amount_including_vat" numeric(18,2) NOT NULL, CONSTRAINT "PK_f0905848cc6bfc233a1c45c05c7" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_dbe735669fc5c01f8b9e06f87e" ON "erp"."sales_invoice_header"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_b05ab19ec3eced7326eba88ebf" ON "erp"."sales_invoice_header"  ("no") `);
    await queryRunner.query(`CREATE INDEX "IDX_ece686d0b0805be25d1b975880" ON "erp"."sales_invoice_header"  ("sell_to_customer_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_3d0d004f9c108e5a50cfac4269" ON "erp"."sales_invoice_header"  ("bill_to_customer_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_3f21a5a97c5c434f07d6c552c4" ON "erp"."sales_invoice_header"  ("currency_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_8ed8b6d305af8f34ce6a725fbf" ON "erp"."sales_invoice_header"  ("salesperson_code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."sales_line" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "document_type" character varying(20) NOT NULL, "document_no" character varying(20) NOT NULL, "line_no" integer NOT NULL, "type" character varying(20) NOT NULL, "no" character varying(20), "description" character varying(100) NOT NULL, "quantity" numeric(18,2) NOT NULL, "unit_price" numeric(18,2) NOT NULL, "line_amount" numeric(18,2) NOT NULL, "unit_of_measure_code" character varying(10), CONSTRAINT "PK_af04194cb9771a4232e58aebb9e" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_2c7e8fd5eebcbd31efd7ef973e" ON "erp"."sales_line"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_909549d784ed39e0cfa20cad9a" ON "erp"."sales_line"  ("document_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_00dccfaf8ad80c38cd35127937" ON "erp"."sales_line"  ("no") `);
    await queryRunner.query(`CREATE INDEX "IDX_85717896fc91fdd57c8c9c5f4a" ON "erp"."sales_line"  ("unit_of_measure_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2822b91dbcc30dfaa7a58646a4" ON "erp"."sales_line"  ("document_type", "document_no", "line_no") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."sales_invoice_line" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "document_no" character varying(20) NOT NULL, "line_no" integer NOT NULL, "type" character varying(20) NOT NULL, "no" character varying(20), "description" character varying(100) NOT NULL, "quantity" numeric(18,2) NOT NULL, "unit_price" numeric(18,2) NOT NULL, "line_amount" numeric(18,2) NOT NULL, "unit_of_measure_code" character varying(10), CONSTRAINT "PK_9f0f43241fe27637e685ada5201" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f325ed3a05b0dbbfa303bdcb2b" ON "erp"."sales_invoice_line"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_c89c2ea2fe4389b931fda13b52" ON "erp"."sales_invoice_line"  ("document_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_64ea48fb284d11b95564ab9af9" ON "erp"."sales_invoice_line"  ("no") `);
    await queryRunner.query(`CREATE INDEX "IDX_06be55e177573f5ad2c817b3cf" ON "erp"."sales_invoice_line"  ("unit_of_measure_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_96b90a5f4f1746335629baf172" ON "erp"."sales_invoice_line"  ("document_no", "line_no") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."sales_price" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "item_no" character varying(20) NOT NULL, "sales_type" character varying(30) NOT NULL, "sales_code" character varying(20) NOT NULL DEFAULT '', "currency_code" character varying(10), "starting_date" date, "ending_date" date, "unit_of_measure_code" character varying(10), "minimum_quantity" numeric(18,2) NOT NULL, "unit_price" numeric(18,2) NOT NULL, CONSTRAINT "PK_fda68d8f57674d016257f4e5684" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_2cc63e1a4678f50a28f85accbc" ON "erp"."sales_price"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_a96bf0fc6c668edb34f3bafb3e" ON "erp"."sales_price"  ("item_no") `);
    await queryRunner.query(`CREATE INDEX "IDX_11525f08756c439cb1c09cdc0d" ON "erp"."sales_price"  ("sales_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_0f994a7c81c52c773293d08310" ON "erp"."sales_price"  ("currency_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_ce59fbc0a0c8e066806cf4906a" ON "erp"."sales_price"  ("unit_of_measure_code") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_86118f8668d7fefe6082ca4e1a" ON "erp"."sales_price"  ("item_no", "sales_type", "sales_code", "currency_code", "starting_date", "unit_of_measure_code", "minimum_quantity") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."sales_receivables_setup" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "primary_key" character varying(10) NOT NULL DEFAULT '', "write_in_product_type" character varying(20) NOT NULL DEFAULT 'ITEM', "write_in_product_no" character varying(20), CONSTRAINT "PK_dcef863d63249b238949ffbb89f" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_e4ff0aabdf7092329be9c1f03d" ON "erp"."sales_receivables_setup"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4768aa791429442095c5b02895" ON "erp"."sales_receivables_setup"  ("primary_key") `);
    await queryRunner.query(`CREATE INDEX "IDX_8f6c7804b0650a648f11f2ceea" ON "erp"."sales_receivables_setup"  ("write_in_product_no") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."salesperson_purchaser" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "code" character varying(20) NOT NULL, "name" character varying(50) NOT NULL, "email" character varying(80), "phone_no" character varying(30), "blocked" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_0656c753d43d38253f0812c7f14" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f8d8e68fab17db6c514894dac4" ON "erp"."salesperson_purchaser"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_08d1570b5a9b2a93aa27f174b8" ON "erp"."salesperson_purchaser"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."shipment_method" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "code" character varying(10) NOT NULL, "description" character varying(100) NOT NULL, CONSTRAINT "PK_06d3431a250e0630fe890588f49" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_66da5ce25274dafa9c1733bd0e" ON "erp"."shipment_method"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_928ce55d9196aa2464ffd85d9c" ON "erp"."shipment_method"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."shipping_agent" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "code" character varying(10) NOT NULL, "name" character varying(50) NOT NULL, CONSTRAINT "PK_da8108ad9352b275281515d90ba" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_8ec594dea8df7954d7157a1163" ON "erp"."shipping_agent"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_91043992f4214379c86dc0f98e" ON "erp"."shipping_agent"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "erp"."unit_of_measure" ("system_id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, "code" character varying(10) NOT NULL, "description" character varying(50) NOT NULL, CONSTRAINT "PK_2b5245590e39de4cc407afa1261" PRIMARY KEY ("system_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6017424a1e37aac459a812f6f4" ON "erp"."unit_of_measure"  ("modified_at", "system_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_d6884a7e24c7930629a92f9b26" ON "erp"."unit_of_measure"  ("code") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "erp"."IDX_d6884a7e24c7930629a92f9b26"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_6017424a1e37aac459a812f6f4"`);
    await queryRunner.query(`DROP TABLE "erp"."unit_of_measure"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_91043992f4214379c86dc0f98e"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_8ec594dea8df7954d7157a1163"`);
    await queryRunner.query(`DROP TABLE "erp"."shipping_agent"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_928ce55d9196aa2464ffd85d9c"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_66da5ce25274dafa9c1733bd0e"`);
    await queryRunner.query(`DROP TABLE "erp"."shipment_method"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_08d1570b5a9b2a93aa27f174b8"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_f8d8e68fab17db6c514894dac4"`);
    await queryRunner.query(`DROP TABLE "erp"."salesperson_purchaser"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_8f6c7804b0650a648f11f2ceea"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_4768aa791429442095c5b02895"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_e4ff0aabdf7092329be9c1f03d"`);
    await queryRunner.query(`DROP TABLE "erp"."sales_receivables_setup"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_86118f8668d7fefe6082ca4e1a"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_ce59fbc0a0c8e066806cf4906a"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_0f994a7c81c52c773293d08310"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_11525f08756c439cb1c09cdc0d"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_a96bf0fc6c668edb34f3bafb3e"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_2cc63e1a4678f50a28f85accbc"`);
    await queryRunner.query(`DROP TABLE "erp"."sales_price"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_96b90a5f4f1746335629baf172"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_06be55e177573f5ad2c817b3cf"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_64ea48fb284d11b95564ab9af9"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_c89c2ea2fe4389b931fda13b52"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_f325ed3a05b0dbbfa303bdcb2b"`);
    await queryRunner.query(`DROP TABLE "erp"."sales_invoice_line"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_2822b91dbcc30dfaa7a58646a4"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_85717896fc91fdd57c8c9c5f4a"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_00dccfaf8ad80c38cd35127937"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_909549d784ed39e0cfa20cad9a"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_2c7e8fd5eebcbd31efd7ef973e"`);
    await queryRunner.query(`DROP TABLE "erp"."sales_line"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_8ed8b6d305af8f34ce6a725fbf"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_3f21a5a97c5c434f07d6c552c4"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_3d0d004f9c108e5a50cfac4269"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_ece686d0b0805be25d1b975880"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_b05ab19ec3eced7326eba88ebf"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_dbe735669fc5c01f8b9e06f87e"`);
    await queryRunner.query(`DROP TABLE "erp"."sales_invoice_header"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_771fcff425135c6cd9c8c17ec2"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_e1ed49d1eb29075339a9bd8344"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_8014a893c8fc8ebb78d27afee4"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_e49d0e65c6d8869ea27861a81d"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_7dec1b5d0a2079c8100b11f81d"`);
    await queryRunner.query(`DROP TABLE "erp"."sales_header"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_7873f323ab132c7ffbf00f969d"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_411def4cccd71c88830498e074"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_3b5928fe8c68109ad8a56e422f"`);
    await queryRunner.query(`DROP TABLE "erp"."resource"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_6865a92e362aa910162541f749"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_126d42702b56ab630e39eee249"`);
    await queryRunner.query(`DROP TABLE "erp"."payment_terms"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_849cf0b52e0b9038c6f04558e3"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_31d565573c4d1d4208fd7c2934"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_ea4006d7d38d9fd2be752f1007"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_c11e4d3b53cdb3e99324261d71"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_51fc4b64e4f151ff416ce2da7c"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_9f9f89b28957ac1062e63641bc"`);
    await queryRunner.query(`DROP TABLE "erp"."opportunity"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_59a9be90825b78d1bbf4793b9a"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_cdd077f55c6446cb556d4d3968"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_17a1bc66a72854e6ad613cba22"`);
    await queryRunner.query(`DROP TABLE "erp"."item"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_3248ff0b55156aa943b36ed0d3"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_e59004f02fccc7e41efed3b29b"`);
    await queryRunner.query(`DROP TABLE "erp"."customer_price_group"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_e256f9d9eccb28d32d3ef66223"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_03ae7afef199741d9020b5f9fe"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_19a9eedf84e3aea1faa20602cf"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_2dba3747a058be1680a20bf206"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_e8cd5b7d8a52f69ff637e2db8d"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_ddb7936a5a412050a75eafb4c2"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_710abdd2360245b815d71de720"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_7a601c29b5a74f4214c78383be"`);
    await queryRunner.query(`DROP TABLE "erp"."customer"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_723472e41cae44beb0763f4039"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_74be8e8eb51d97d64a5310a44d"`);
    await queryRunner.query(`DROP TABLE "erp"."currency"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_f8219fa49824ecaa0f4e976983"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_bd7435994a5062d926a508f7ce"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_e95f16bcb9e7fbddd704d5fc01"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_eb5543d2f1e4b7035d6b0808c8"`);
    await queryRunner.query(`DROP INDEX "erp"."IDX_78c90feb44702af9f6c022d8aa"`);
    await queryRunner.query(`DROP TABLE "erp"."contact"`);
  }
}
