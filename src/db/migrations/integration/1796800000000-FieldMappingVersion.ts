import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: a compiled read writes the merge directions of the field mappings it reads into its
 * statement as constants, and checks in the same snapshot that they still hold: every change to
 * `field_mapping` (through the API, the worker, the CLI or plain SQL) counts up this one row's
 * version in its own transaction, and a statement written for another version answers nothing and
 * is written again.
 */
export class FieldMappingVersion1796800000000 implements MigrationInterface {
  name = 'FieldMappingVersion1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "integration"."field_mapping_version" ("one" boolean PRIMARY KEY DEFAULT true CHECK ("one"), "version" bigint NOT NULL DEFAULT 0)`);
    await queryRunner.query(`INSERT INTO "integration"."field_mapping_version" DEFAULT VALUES`);
    await queryRunner.query(`CREATE FUNCTION "integration"."field_mapping_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "integration"."field_mapping_version" SET "version" = "version" + 1;
        RETURN NULL;
      END $$`);
    // A row written again unchanged is no change: a statement that changed nothing leaves the version, and the store, as they were.
    await queryRunner.query(
      `CREATE TRIGGER "field_mapping_written" AFTER INSERT OR DELETE ON "integration"."field_mapping" FOR EACH ROW EXECUTE FUNCTION "integration"."field_mapping_changed"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "field_mapping_updated" AFTER UPDATE ON "integration"."field_mapping" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION "integration"."field_mapping_changed"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "field_mapping_emptied" AFTER TRUNCATE ON "integration"."field_mapping" FOR EACH STATEMENT EXECUTE FUNCTION "integration"."field_mapping_changed"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of ['field_mapping_emptied', 'field_mapping_updated', 'field_mapping_written'])
      await queryRunner.query(`DROP TRIGGER "${trigger}" ON "integration"."field_mapping"`);
    await queryRunner.query(`DROP FUNCTION "integration"."field_mapping_changed"()`);
    await queryRunner.query(`DROP TABLE "integration"."field_mapping_version"`);
  }
}
