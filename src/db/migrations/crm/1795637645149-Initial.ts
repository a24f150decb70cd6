import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795637645149 implements MigrationInterface {
  name = 'Initial1795637645149';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "crm"."account" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "name" character varying(160) NOT NULL, "account_number" character varying(20), "customer_type_code" character varying(30) NOT NULL, "state_code" character varying(30) NOT NULL, "owner_id" uuid NOT NULL, "transaction_currency_id" uuid, "payment_terms_code" integer, "address1_freight_terms_code" integer, "address1_shipping_method_code" integer, "parent_account_id" uuid, "telephone1" character varying(50), "email_address1" character varying(100), "address1_line1" character varying(250), "address1_city" character varying(80), "address1_postal_code" character varying(20), "address1_country" character varying(80), "credit_limit" numeric(18,2), CONSTRAINT "PK_54115ee388cdb6d86bb4bf5b2ea" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a8b5b3f4e3e9c72f45c888f08d" ON "crm"."account"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_c91a92631ee1ccb9f29e599ba4" ON "crm"."account"  ("account_number") `);
    await queryRunner.query(`CREATE INDEX "IDX_7e86daab9d155ec4cc3fd65445" ON "crm"."account"  ("owner_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_005b3644dc158e5e7914ccbd4a" ON "crm"."account"  ("transaction_currency_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_612cc6467fd63cf3b44bee6734" ON "crm"."account"  ("parent_account_id") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."contact" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "first_name" character varying(50), "last_name" character varying(100) NOT NULL, "full_name" character varying(200) NOT NULL, "parent_customer_id" uuid, "parent_customer_type" character varying(30), "job_title" character varying(100), "email_address1" character varying(100), "telephone1" character varying(50), "owner_id" uuid NOT NULL, "state_code" character varying(30) NOT NULL, CONSTRAINT "PK_2cbbe00f59ab6b3bb5b8d19f989" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_083196e0ca8391c05ee49761de" ON "crm"."contact"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_3fc516b200fc8eea96e1b2ca15" ON "crm"."contact"  ("parent_customer_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_4b5a10d41009acc018c15447f3" ON "crm"."contact"  ("owner_id") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."invoice" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "invoice_number" character varying(100) NOT NULL, "name" character varying(300) NOT NULL, "customer_id" uuid NOT NULL, "owner_id" uuid NOT NULL, "transaction_currency_id" uuid, "price_level_id" uuid, "total_amount" numeric(18,2) NOT NULL, "total_line_item_amount" numeric(18,2) NOT NULL, "date_delivered" date, "due_date" date, "state_code" character varying(30) NOT NULL, CONSTRAINT "PK_15d25c200d9bcd8a33f698daf18" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_d9ccc4dfb6c6fbe82a5fbe8540" ON "crm"."invoice"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c7ec75a1a4068196ea74b920df" ON "crm"."invoice"  ("invoice_number") `);
    await queryRunner.query(`CREATE INDEX "IDX_2e6c81055e67a7f4791c887b56" ON "crm"."invoice"  ("customer_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_9af42507f437ba4eec56e2a03c" ON "crm"."invoice"  ("owner_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_4d4abe5b143c94db4f426f5c9d" ON "crm"."invoice"  ("transaction_currency_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_e139ae22ba4a4799d3b362a187" ON "crm"."invoice"  ("price_level_id") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."invoice_detail" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "invoice_id" uuid NOT NULL, "line_item_number" integer NOT NULL, "product_id" uuid, "unit_id" uuid, "is_product_overridden" boolean NOT NULL, "product_description" text, "quantity" numeric(18,2) NOT NULL, "price_per_unit" numeric(18,2) NOT NULL, "extended_amount" numeric(18,2) NOT NULL, CONSTRAINT "PK_3d65640b01305b25702d2de67c4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6f4f4d17180d0898ec8c507b84" ON "crm"."invoice_detail"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_123a8440e2987297f6c8cc6a35" ON "crm"."invoice_detail"  ("invoice_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_a8833884da4755606e6cc41428" ON "crm"."invoice_detail"  ("product_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_5c353ceff1801ad0dacfe29075" ON "crm"."invoice_detail"  ("unit_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_eba093e9fcaad9ffcab6376e29" ON "crm"."invoice_detail"  ("invoice_id", "line_item_number") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."opportunity" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "name" character varying(300) NOT NULL, "parent_account_id" uuid, "parent_contact_id" uuid, "owner_id" uuid NOT NULL, "transaction_currency_id" uuid, "estimated_value" numeric(18,2), "estimated_close_date" date, "close_probability" integer, "state_code" character varying(30) NOT NULL, CONSTRAINT "PK_085fd6d6f4765325e6c16163568" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_46dfe8215437ff5f3a3757112a" ON "crm"."opportunity"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_1045eb1543c2c1d0043190d01f" ON "crm"."opportunity"  ("parent_account_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_370eca2126cba10b5b82b86bb7" ON "crm"."opportunity"  ("parent_contact_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_d0fe2f04d07a7826c270fa9c62" ON "crm"."opportunity"  ("owner_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ef6217e0b43972f81ff7c8e8e1" ON "crm"."opportunity"  ("transaction_currency_id") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."option_set_value" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "option_set" character varying(30) NOT NULL, "value" integer NOT NULL, "label" character varying(100) NOT NULL, CONSTRAINT "PK_522afd97b3e584edd8b9569b91f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f39d4a5c0cd3ca98fea6ff8767" ON "crm"."option_set_value"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_fde99a3f7a60c57dffd06a799f" ON "crm"."option_set_value"  ("option_set", "label") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_5ea304f6daf1bd964f188e0fd3" ON "crm"."option_set_value"  ("option_set", "value") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."price_level" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "name" character varying(100) NOT NULL, "transaction_currency_id" uuid, "begin_date" date, "end_date" date, "state_code" character varying(30) NOT NULL, CONSTRAINT "PK_c2725c7a7496650c9da986faf22" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ce8710a346dcb2f3a6cc1d6372" ON "crm"."price_level"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_523e7df94f842bb250a300c4b3" ON "crm"."price_level"  ("name") `);
    await queryRunner.query(`CREATE INDEX "IDX_d741a4bb2a66123e14fabda867" ON "crm"."price_level"  ("transaction_currency_id") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."product" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "product_number" character varying(100) NOT NULL, "name" character varying(100) NOT NULL, "product_type_code" character varying(30) NOT NULL, "default_unit_group_id" uuid, "default_unit_id" uuid, "price_level_id" uuid, "price" numeric(18,2), "standard_cost" numeric(18,2), "quantity_on_hand" numeric(18,2) NOT NULL, "state_code" character varying(30) NOT NULL, CONSTRAINT "PK_bebc9158e480b949565b4dc7a82" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a62da151d04c6ab723a1b8242f" ON "crm"."product"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_64069af8465e961d38023e721f" ON "crm"."product"  ("product_number") `);
    await queryRunner.query(`CREATE INDEX "IDX_588531fa54d1d198a5f0472dd1" ON "crm"."product"  ("default_unit_group_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_2713a79073ea90c01073373686" ON "crm"."product"  ("default_unit_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ffa8ef69886e8b72247783c1d2" ON "crm"."product"  ("price_level_id") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."product_price_level" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "price_level_id" uuid NOT NULL, "product_id" uuid NOT NULL, "unit_id" uuid, "transaction_currency_id" uuid, "amount" numeric(18,2) NOT NULL, "quantity_selling_code" character varying(30) NOT NULL DEFAULT 'NO_CONTROL', "minimum_quantity" numeric(18,2) NOT NULL DEFAULT '0', CONSTRAINT "PK_ffa8ef69886e8b72247783c1d23" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_534e2c898a1bb9851cf7554cd8" ON "crm"."product_price_level"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_1d7011d386bf1af9485fddfef7" ON "crm"."product_price_level"  ("price_level_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_f1e7177e5844a1b118a24c9ef4" ON "crm"."product_price_level"  ("product_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_0e0c8bdd539cec96c4d7f88667" ON "crm"."product_price_level"  ("unit_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_d7243cd07e99d14b40ce7aae0f" ON "crm"."product_price_level"  ("transaction_currency_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_601922eba56262c0c06d297139" ON "crm"."product_price_level"  ("price_level_id", "product_id", "minimum_quantity") WHERE unit_id IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ca9031941a585d1ccf6cf382f8" ON "crm"."product_price_level"  ("price_level_id", "product_id", "unit_id", "minimum_quantity") `,
    );
    await queryRunner.query(
      `CREATE TABLE "crm"."sales_order" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "order_number" character varying(100) NOT NULL, "name" character varying(300) NOT NULL, "customer_id" uuid NOT NULL, "owner_id" uuid NOT NULL, "transaction_currency_id" uuid, "price_level_id" uuid, "total_amount" numeric(18,2) NOT NULL, "request_delivery_by" date, "state_code" character varying(30) NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_1631a193003bfc4297c61ba38ba" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_b46f2c807e7dd8395253da1b5c" ON "crm"."sales_order"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_e4e58e31061d95002c0185ca95" ON "crm"."sales_order"  ("order_number") `);
    await queryRunner.query(`CREATE INDEX "IDX_19159556298a9e0b62e2297c55" ON "crm"."sales_order"  ("customer_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_f9b4413945ecf22c1cc6e4bf46" ON "crm"."sales_order"  ("owner_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_9a531c672ed60921969fb70ecc" ON "crm"."sales_order"  ("transaction_currency_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_4edd31ea1db187b8e7d4b0ec52" ON "crm"."sales_order"  ("price_level_id") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."sales_order_detail" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "sales_order_id" uuid NOT NULL, "line_item_number" integer NOT NULL, "product_id" uuid, "unit_id" uuid, "is_product_overridden" boolean NOT NULL, "product_description" text, "quantity" numeric(18,2) NOT NULL, "price_per_unit" numeric(18,2) NOT NULL, "extended_amount" numeric(18,2) NOT NULL, CONSTRAINT "PK_f5ecad63ed411282c664102694c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_001ed4ef13666e4ab479405be7" ON "crm"."sales_order_detail"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_34740bb9d7d07bde6ad0931d93" ON "crm"."sales_order_detail"  ("sales_order_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_4ace824d04d82118257ef7167b" ON "crm"."sales_order_detail"  ("product_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6baab6183a883c25ef5f70699c" ON "crm"."sales_order_detail"  ("unit_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2314582d0882b23716a72661dc" ON "crm"."sales_order_detail"  ("sales_order_id", "line_item_number") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."system_user" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "full_name" character varying(200) NOT NULL, "domain_name" character varying(200) NOT NULL, "internal_email_address" character varying(100), "is_disabled" boolean NOT NULL, "is_licensed" boolean NOT NULL, "is_integration_user" boolean NOT NULL, CONSTRAINT "PK_9949334be1756656fab9fac4a0c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_40f3cb3946d00fcc58f7b1339b" ON "crm"."system_user"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_ee76f4a297f629cf7b835d6dcb" ON "crm"."system_user"  ("domain_name") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."transaction_currency" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "iso_currency_code" character varying(3) NOT NULL, "currency_name" character varying(100) NOT NULL, "currency_symbol" character varying(13) NOT NULL, "exchange_rate" numeric(22,10) NOT NULL, "currency_precision" integer NOT NULL DEFAULT '2', CONSTRAINT "PK_595f8b5303f23e9c063fda56fae" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_dc171de082171acaac076c7082" ON "crm"."transaction_currency"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_f60ff17f4f991f0cea5be90c9f" ON "crm"."transaction_currency"  ("iso_currency_code") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."unit" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "name" character varying(100) NOT NULL, "unit_group_id" uuid NOT NULL, "base_uom_id" uuid, "quantity" numeric(18,2) NOT NULL, "is_schedule_base_uom" boolean NOT NULL, CONSTRAINT "PK_4252c4be609041e559f0c80f58a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_07e2a7202e502a70899b95a7e9" ON "crm"."unit"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_fca28be96dd4b07d051db42778" ON "crm"."unit"  ("unit_group_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_88f8cbb0920aeaeacb76c4be65" ON "crm"."unit"  ("base_uom_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_94e57296dcd35b5a01d00c72d2" ON "crm"."unit"  ("unit_group_id", "name") `);
    await queryRunner.query(
      `CREATE TABLE "crm"."unit_group" ("id" uuid NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" uuid NOT NULL, "name" character varying(200) NOT NULL, "base_uom_name" character varying(100) NOT NULL, CONSTRAINT "PK_25bd8d647146a59544d544d2233" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_13edf9898a283018ab2c6256b9" ON "crm"."unit_group"  ("modified_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_1c79e080a8aa94d1f7cfbfd219" ON "crm"."unit_group"  ("name") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "crm"."IDX_1c79e080a8aa94d1f7cfbfd219"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_13edf9898a283018ab2c6256b9"`);
    await queryRunner.query(`DROP TABLE "crm"."unit_group"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_94e57296dcd35b5a01d00c72d2"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_88f8cbb0920aeaeacb76c4be65"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_fca28be96dd4b07d051db42778"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_07e2a7202e502a70899b95a7e9"`);
    await queryRunner.query(`DROP TABLE "crm"."unit"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_f60ff17f4f991f0cea5be90c9f"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_dc171de082171acaac076c7082"`);
    await queryRunner.query(`DROP TABLE "crm"."transaction_currency"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_ee76f4a297f629cf7b835d6dcb"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_40f3cb3946d00fcc58f7b1339b"`);
    await queryRunner.query(`DROP TABLE "crm"."system_user"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_2314582d0882b23716a72661dc"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_6baab6183a883c25ef5f70699c"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_4ace824d04d82118257ef7167b"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_34740bb9d7d07bde6ad0931d93"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_001ed4ef13666e4ab479405be7"`);
    await queryRunner.query(`DROP TABLE "crm"."sales_order_detail"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_4edd31ea1db187b8e7d4b0ec52"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_9a531c672ed60921969fb70ecc"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_f9b4413945ecf22c1cc6e4bf46"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_19159556298a9e0b62e2297c55"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_e4e58e31061d95002c0185ca95"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_b46f2c807e7dd8395253da1b5c"`);
    await queryRunner.query(`DROP TABLE "crm"."sales_order"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_ca9031941a585d1ccf6cf382f8"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_601922eba56262c0c06d297139"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_d7243cd07e99d14b40ce7aae0f"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_0e0c8bdd539cec96c4d7f88667"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_f1e7177e5844a1b118a24c9ef4"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_1d7011d386bf1af9485fddfef7"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_534e2c898a1bb9851cf7554cd8"`);
    await queryRunner.query(`DROP TABLE "crm"."product_price_level"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_ffa8ef69886e8b72247783c1d2"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_2713a79073ea90c01073373686"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_588531fa54d1d198a5f0472dd1"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_64069af8465e961d38023e721f"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_a62da151d04c6ab723a1b8242f"`);
    await queryRunner.query(`DROP TABLE "crm"."product"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_d741a4bb2a66123e14fabda867"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_523e7df94f842bb250a300c4b3"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_ce8710a346dcb2f3a6cc1d6372"`);
    await queryRunner.query(`DROP TABLE "crm"."price_level"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_5ea304f6daf1bd964f188e0fd3"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_fde99a3f7a60c57dffd06a799f"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_f39d4a5c0cd3ca98fea6ff8767"`);
    await queryRunner.query(`DROP TABLE "crm"."option_set_value"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_ef6217e0b43972f81ff7c8e8e1"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_d0fe2f04d07a7826c270fa9c62"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_370eca2126cba10b5b82b86bb7"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_1045eb1543c2c1d0043190d01f"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_46dfe8215437ff5f3a3757112a"`);
    await queryRunner.query(`DROP TABLE "crm"."opportunity"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_eba093e9fcaad9ffcab6376e29"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_5c353ceff1801ad0dacfe29075"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_a8833884da4755606e6cc41428"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_123a8440e2987297f6c8cc6a35"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_6f4f4d17180d0898ec8c507b84"`);
    await queryRunner.query(`DROP TABLE "crm"."invoice_detail"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_e139ae22ba4a4799d3b362a187"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_4d4abe5b143c94db4f426f5c9d"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_9af42507f437ba4eec56e2a03c"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_2e6c81055e67a7f4791c887b56"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_c7ec75a1a4068196ea74b920df"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_d9ccc4dfb6c6fbe82a5fbe8540"`);
    await queryRunner.query(`DROP TABLE "crm"."invoice"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_4b5a10d41009acc018c15447f3"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_3fc516b200fc8eea96e1b2ca15"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_083196e0ca8391c05ee49761de"`);
    await queryRunner.query(`DROP TABLE "crm"."contact"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_612cc6467fd63cf3b44bee6734"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_005b3644dc158e5e7914ccbd4a"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_7e86daab9d155ec4cc3fd65445"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_c91a92631ee1ccb9f29e599ba4"`);
    await queryRunner.query(`DROP INDEX "crm"."IDX_a8b5b3f4e3e9c72f45c888f08d"`);
    await queryRunner.query(`DROP TABLE "crm"."account"`);
  }
}
