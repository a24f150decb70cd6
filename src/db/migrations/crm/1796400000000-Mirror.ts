import type { MigrationInterface, QueryRunner } from 'typeorm';
import { mirrorTablesSql } from '../mirror-tables.sql';

/** What a mirror of a real product keeps besides the records (issue 14): each record's product id and version, each table's feed position. */
export class Mirror1796400000000 implements MigrationInterface {
  name = 'Mirror1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(mirrorTablesSql('crm'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "crm"."mirror_position"; DROP TABLE "crm"."mirror_record"');
  }
}
