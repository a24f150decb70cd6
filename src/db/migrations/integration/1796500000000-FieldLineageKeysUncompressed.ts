import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: a chunk's key arrays (1,830 random uuids, 29 kB each in a full synchronisation) are
 * stored out of line without trying to compress them. PostgreSQL ran pglz over each before giving
 * up on it, 40 % of what lz4 spends on the chunk's writes (see bench/RESULTS.md, field lineage at
 * 100,000 customers); random keys do not compress.
 */
export class FieldLineageKeysUncompressed1796500000000 implements MigrationInterface {
  name = 'FieldLineageKeysUncompressed1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" ALTER COLUMN "erp_ids" SET STORAGE EXTERNAL, ALTER COLUMN "crm_ids" SET STORAGE EXTERNAL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."field_lineage" ALTER COLUMN "erp_ids" SET STORAGE EXTENDED, ALTER COLUMN "crm_ids" SET STORAGE EXTENDED`);
  }
}
