import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: field lineage's writes are stored as text, compressed with lz4 where the server has it,
 * and a chunk's row gets `recipes`. Writing a chunk's lineage as json made PostgreSQL parse the
 * megabyte the engine had just built, and compressing it with pglz took most of the rest: 14–18 ms
 * per 1,000 records written, 4 ms as text with lz4 (see bench/RESULTS.md, field lineage). A server
 * built without lz4 (the embedded one of `npm start`) keeps pglz. New rows leave out what the row
 * already says (the writes' keys, their time when it is the row's, the rule as reason), and a
 * created record's write refers to its coupling's synchronised values, the chunk's recipe per
 * direction naming the fields it wrote; the history reads old rows as before.
 */
export class FieldLineageAsText1796400000000 implements MigrationInterface {
  name = 'FieldLineageAsText1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" ALTER COLUMN "writes" TYPE text`);
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" ADD "recipes" text`);
    await queryRunner.query(`DO $$
      BEGIN
        ALTER TABLE "integration"."field_lineage" ALTER COLUMN "writes" SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN
        NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" DROP COLUMN "recipes"`);
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" ALTER COLUMN "writes" SET COMPRESSION default`);
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" ALTER COLUMN "writes" TYPE json USING "writes"::json`);
  }
}
