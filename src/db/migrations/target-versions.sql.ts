import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: the tables other records refer to by one reference (a customer's salesperson, its
 * currency) count their writes, one row per table, in the writing transaction. The references
 * resolved on the write side (integration.resolved_reference) record the counts they were
 * resolved at, and a read uses them only while the counts are the store's, in its own snapshot.
 * A count is bumped once per statement, so a bulk write costs one row update; the tables are
 * small and rarely written, so the row lock it holds to commit serialises little.
 */
export abstract class TargetVersionsMigration implements MigrationInterface {
  abstract readonly name: string;

  constructor(
    private readonly schema: string,
    private readonly tables: readonly string[],
  ) {}

  async up(queryRunner: QueryRunner): Promise<void> {
    const { schema } = this;
    await queryRunner.query(`CREATE TABLE "${schema}"."target_table_version" ("table_name" text PRIMARY KEY, "version" bigint NOT NULL DEFAULT 0)`);
    for (const table of this.tables) await queryRunner.query(`INSERT INTO "${schema}"."target_table_version" ("table_name") VALUES ($1)`, [table]);
    await queryRunner.query(`CREATE FUNCTION "${schema}"."target_table_written"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "${schema}"."target_table_version" SET "version" = "version" + 1 WHERE "table_name" = TG_TABLE_NAME;
        -- The change notification's own trigger leaves TRUNCATE out; one per transaction either way (PostgreSQL folds them).
        PERFORM pg_notify('gateway_change', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    for (const table of this.tables) {
      await queryRunner.query(
        `CREATE TRIGGER "target_table_written" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${schema}"."${table}" FOR EACH STATEMENT EXECUTE FUNCTION "${schema}"."target_table_written"()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { schema } = this;
    for (const table of this.tables) await queryRunner.query(`DROP TRIGGER "target_table_written" ON "${schema}"."${table}"`);
    await queryRunner.query(`DROP FUNCTION "${schema}"."target_table_written"()`);
    await queryRunner.query(`DROP TABLE "${schema}"."target_table_version"`);
  }
}
