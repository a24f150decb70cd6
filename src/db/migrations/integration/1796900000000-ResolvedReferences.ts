import type { MigrationInterface, QueryRunner } from 'typeorm';

const MAPPINGS = ['SALESPEOPLE', 'CURRENCY'];
const listed = (row: 'NEW' | 'OLD') => `${row}."mapping_name" IN (${MAPPINGS.map((name) => `'${name}'`).join(', ')})`;

/**
 * Issue 10: a page's to-one relations (salesperson, currency) read their targets resolved on the
 * write side, one row per reference by ERP code or by CRM key, as a compiled statement would
 * resolve them; the state row says at which write counts of the targets' tables and links (see
 * target-versions.sql.ts) they were resolved. Links of those mappings count their writes here and
 * announce them to the read model, which resolves the references again.
 */
export class ResolvedReferences1796900000000 implements MigrationInterface {
  name = 'ResolvedReferences1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "integration"."resolved_reference" ("target_type" text NOT NULL, "by_code" boolean NOT NULL, "ref" text NOT NULL, "link" jsonb, "erp" jsonb, "crm" jsonb, PRIMARY KEY ("target_type", "by_code", "ref"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "integration"."resolved_reference_state" ("target_type" text PRIMARY KEY, "erp_version" bigint NOT NULL, "crm_version" bigint NOT NULL, "link_version" bigint NOT NULL)`,
    );
    await queryRunner.query(`CREATE TABLE "integration"."target_link_version" ("mapping_name" text PRIMARY KEY, "version" bigint NOT NULL DEFAULT 0)`);
    for (const mapping of MAPPINGS) await queryRunner.query(`INSERT INTO "integration"."target_link_version" ("mapping_name") VALUES ($1)`, [mapping]);
    await queryRunner.query(`CREATE FUNCTION "integration"."target_link_written"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "integration"."target_link_version" SET "version" = "version" + 1
          WHERE "mapping_name" IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD."mapping_name" END, CASE WHEN TG_OP <> 'DELETE' THEN NEW."mapping_name" END);
        PERFORM pg_notify('gateway_change', 'integration.integration_record');
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "target_link_inserted" AFTER INSERT ON "integration"."integration_record" FOR EACH ROW WHEN (${listed('NEW')}) EXECUTE FUNCTION "integration"."target_link_written"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "target_link_deleted" AFTER DELETE ON "integration"."integration_record" FOR EACH ROW WHEN (${listed('OLD')}) EXECUTE FUNCTION "integration"."target_link_written"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "target_link_updated" AFTER UPDATE ON "integration"."integration_record" FOR EACH ROW WHEN ((${listed('OLD')} OR ${listed('NEW')}) AND OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION "integration"."target_link_written"()`,
    );
    await queryRunner.query(`CREATE FUNCTION "integration"."target_links_emptied"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "integration"."target_link_version" SET "version" = "version" + 1;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "target_links_emptied" AFTER TRUNCATE ON "integration"."integration_record" FOR EACH STATEMENT EXECUTE FUNCTION "integration"."target_links_emptied"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of ['target_links_emptied', 'target_link_updated', 'target_link_deleted', 'target_link_inserted'])
      await queryRunner.query(`DROP TRIGGER "${trigger}" ON "integration"."integration_record"`);
    await queryRunner.query(`DROP FUNCTION "integration"."target_links_emptied"()`);
    await queryRunner.query(`DROP FUNCTION "integration"."target_link_written"()`);
    await queryRunner.query(`DROP TABLE "integration"."target_link_version"`);
    await queryRunner.query(`DROP TABLE "integration"."resolved_reference_state"`);
    await queryRunner.query(`DROP TABLE "integration"."resolved_reference"`);
  }
}
