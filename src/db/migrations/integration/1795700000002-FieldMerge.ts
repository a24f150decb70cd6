import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 12: each coupling keeps its fields' last synchronised values and the fields in conflict (per-field three-way merge). */
export class FieldMerge1795700000002 implements MigrationInterface {
  name = 'FieldMerge1795700000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" ADD "synced_values" text`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" ADD "conflicting_fields" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" DROP COLUMN "conflicting_fields"`);
    await queryRunner.query(`ALTER TABLE "integration"."integration_record" DROP COLUMN "synced_values"`);
  }
}
