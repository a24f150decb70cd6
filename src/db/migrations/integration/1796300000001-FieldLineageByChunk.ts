import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: field lineage takes one row per chunk the engine writes instead of one per record:
 * the chunk's writes as one JSON array (pair keys, direction, time, changed fields), with the
 * keys of both sides as arrays, aligned with it, under GIN indexes so a record's rows are still
 * found by either key. A full synchronisation wrote 2,000 rows and 4,000 index entries per chunk
 * in its commit; now one row. Existing rows become chunks of one write each, in their order.
 */
export class FieldLineageByChunk1796300000001 implements MigrationInterface {
  name = 'FieldLineageByChunk1796300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" RENAME TO "field_lineage_by_record"`);
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage_by_record" RENAME CONSTRAINT "PK_field_lineage" TO "PK_field_lineage_by_record"`);
    await queryRunner.query(`CREATE TABLE "integration"."field_lineage" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "at" timestamptz NOT NULL,
      "job_id" uuid,
      "mapping_name" varchar(30) NOT NULL,
      "erp_ids" uuid[] NOT NULL,
      "crm_ids" uuid[] NOT NULL,
      "writes" json NOT NULL,
      CONSTRAINT "PK_field_lineage" PRIMARY KEY ("id"))`);
    await queryRunner.query(`INSERT INTO "integration"."field_lineage" ("at", "job_id", "mapping_name", "erp_ids", "crm_ids", "writes")
      SELECT "at", "job_id", "mapping_name", ARRAY["erp_id"], ARRAY["crm_id"], json_build_array(json_build_object('a', "at", 'e', "erp_id", 'c', "crm_id", 'd', "direction", 'x', "changes"))
        FROM "integration"."field_lineage_by_record" ORDER BY "id"`);
    await queryRunner.query(`DROP TABLE "integration"."field_lineage_by_record"`);
    await queryRunner.query(`CREATE INDEX "IDX_field_lineage_erp_ids" ON "integration"."field_lineage" USING gin ("erp_ids")`);
    await queryRunner.query(`CREATE INDEX "IDX_field_lineage_crm_ids" ON "integration"."field_lineage" USING gin ("crm_ids")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" RENAME TO "field_lineage_by_chunk"`);
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage_by_chunk" RENAME CONSTRAINT "PK_field_lineage" TO "PK_field_lineage_by_chunk"`);
    await queryRunner.query(`CREATE TABLE "integration"."field_lineage" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "at" timestamptz NOT NULL,
      "job_id" uuid,
      "mapping_name" varchar(30) NOT NULL,
      "erp_id" uuid NOT NULL,
      "crm_id" uuid NOT NULL,
      "direction" varchar(8) NOT NULL,
      "changes" json NOT NULL,
      CONSTRAINT "PK_field_lineage" PRIMARY KEY ("id"))`);
    await queryRunner.query(`INSERT INTO "integration"."field_lineage" ("at", "job_id", "mapping_name", "erp_id", "crm_id", "direction", "changes")
      SELECT (w.value ->> 'a')::timestamptz, l."job_id", l."mapping_name", (w.value ->> 'e')::uuid, (w.value ->> 'c')::uuid, w.value ->> 'd', w.value -> 'x'
        FROM "integration"."field_lineage_by_chunk" l CROSS JOIN LATERAL json_array_elements(l."writes") WITH ORDINALITY AS w(value, n) ORDER BY l."id", w.n`);
    await queryRunner.query(`DROP TABLE "integration"."field_lineage_by_chunk"`);
    await queryRunner.query(`CREATE INDEX "IDX_field_lineage_erp" ON "integration"."field_lineage" ("erp_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_field_lineage_crm" ON "integration"."field_lineage" ("crm_id")`);
  }
}
