import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795637850501 implements MigrationInterface {
  name = 'Initial1795637850501';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "integration"."field_mapping" ("id" uuid NOT NULL, "table_mapping_name" character varying(30) NOT NULL, "erp_field" character varying(60), "crm_field" character varying(60) NOT NULL, "direction" character varying(20) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "constant_value" character varying(100), "transformation" character varying(20) NOT NULL DEFAULT 'NONE', "transformation_source" character varying(30), "match_field" boolean NOT NULL DEFAULT false, "sequence" integer NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, CONSTRAINT "PK_52b78aedb8325756010efc2c064" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_4e6eff171aaa36816d6368f932" ON "integration"."field_mapping"  ("table_mapping_name") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_6c72a8d1eb144d5e9568a29dc4" ON "integration"."field_mapping"  ("table_mapping_name", "erp_field", "crm_field") `);
    await queryRunner.query(
      `CREATE TABLE "integration"."integration_record" ("id" uuid NOT NULL, "mapping_name" character varying(30) NOT NULL, "erp_id" uuid, "crm_id" uuid, "erp_code" character varying(100), "erp_in_scope" boolean NOT NULL DEFAULT true, "crm_in_scope" boolean NOT NULL DEFAULT true, "erp_modified_at" TIMESTAMP WITH TIME ZONE, "crm_modified_at" TIMESTAMP WITH TIME ZONE, "sort_key" character varying(200) NOT NULL, "erp_search_text" text, "crm_search_text" text, "coupled_at" TIMESTAMP WITH TIME ZONE, "last_synced_at" TIMESTAMP WITH TIME ZONE, "last_synced_erp_modified_at" TIMESTAMP WITH TIME ZONE, "last_synced_crm_modified_at" TIMESTAMP WITH TIME ZONE, "last_result" character varying(20), "last_error" text, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, CONSTRAINT "PK_87c4f953942c40abfe9fdb80c5d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6c4dc90e786ead38ef2fd72637" ON "integration"."integration_record"  ("mapping_name", "erp_code") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_81c94f87f1018be1a159302bcd" ON "integration"."integration_record"  ("mapping_name", "sort_key", "id") WHERE (erp_id IS NOT NULL AND erp_in_scope) OR (crm_id IS NOT NULL AND crm_in_scope)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_33dd4ce8181067523df5373497" ON "integration"."integration_record"  ("mapping_name", "crm_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_0e27bd01f171d30bc5d7a489d0" ON "integration"."integration_record"  ("mapping_name", "erp_id") `);
    await queryRunner.query(
      `CREATE TABLE "integration"."option_coupling" ("id" uuid NOT NULL, "option_mapping_name" character varying(30) NOT NULL, "erp_code" character varying(20) NOT NULL, "crm_value" integer NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, CONSTRAINT "PK_f6280b83c19ae7a02e60f2d5c3a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_87a750fb10234278de905c7d1a" ON "integration"."option_coupling"  ("option_mapping_name", "crm_value") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2956203d98d1d002369c1fee52" ON "integration"."option_coupling"  ("option_mapping_name", "erp_code") `);
    await queryRunner.query(
      `CREATE TABLE "integration"."option_mapping" ("name" character varying(30) NOT NULL, "erp_table" character varying(60) NOT NULL, "erp_customer_field" character varying(60) NOT NULL, "crm_option_set" character varying(30) NOT NULL, "crm_account_field" character varying(60) NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, CONSTRAINT "PK_cf6b9c3b94e4d25e42fd8279001" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "integration"."table_mapping" ("name" character varying(30) NOT NULL, "erp_table" character varying(60) NOT NULL, "crm_table" character varying(60) NOT NULL, "direction" character varying(20) NOT NULL, "allowed_directions" character varying(20) array NOT NULL, "erp_filter" jsonb NOT NULL DEFAULT '[]', "crm_filter" jsonb NOT NULL DEFAULT '[]', "sync_only_coupled_records" boolean NOT NULL DEFAULT false, "update_conflict_resolution" character varying(20) NOT NULL DEFAULT 'NONE', "deletion_conflict_resolution" character varying(20) NOT NULL DEFAULT 'NONE', "depends_on" character varying(30) array NOT NULL DEFAULT '{}', "sequence" integer NOT NULL, "erp_discovered_at" TIMESTAMP WITH TIME ZONE, "erp_discovered_key" uuid, "crm_discovered_at" TIMESTAMP WITH TIME ZONE, "crm_discovered_key" uuid, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, CONSTRAINT "PK_9384da617259935d32d8a3a2d32" PRIMARY KEY ("name"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "integration"."table_mapping"`);
    await queryRunner.query(`DROP TABLE "integration"."option_mapping"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_2956203d98d1d002369c1fee52"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_87a750fb10234278de905c7d1a"`);
    await queryRunner.query(`DROP TABLE "integration"."option_coupling"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_0e27bd01f171d30bc5d7a489d0"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_33dd4ce8181067523df5373497"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_81c94f87f1018be1a159302bcd"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_6c4dc90e786ead38ef2fd72637"`);
    await queryRunner.query(`DROP TABLE "integration"."integration_record"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_6c72a8d1eb144d5e9568a29dc4"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_4e6eff171aaa36816d6368f932"`);
    await queryRunner.query(`DROP TABLE "integration"."field_mapping"`);
  }
}
