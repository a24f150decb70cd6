import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SyncJobs1795638532022 implements MigrationInterface {
  name = 'SyncJobs1795638532022';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "integration"."sync_job" ("id" uuid NOT NULL, "mapping_name" character varying(30), "type" character varying(20) NOT NULL, "direction" character varying(20), "status" character varying(20) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "inserted" integer NOT NULL DEFAULT '0', "modified" integer NOT NULL DEFAULT '0', "deleted" integer NOT NULL DEFAULT '0', "unchanged" integer NOT NULL DEFAULT '0', "skipped" integer NOT NULL DEFAULT '0', "failed" integer NOT NULL DEFAULT '0', "coupled" integer NOT NULL DEFAULT '0', "uncoupled" integer NOT NULL DEFAULT '0', "message" text, "requested_by" character varying(100) NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_by" character varying(50) NOT NULL, CONSTRAINT "PK_2c67dd094a438a13f904e9a5fb7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7faa867d26ecf068c1af2b89f6" ON "integration"."sync_job"  ("mapping_name") `);
    await queryRunner.query(`CREATE INDEX "IDX_dd95101e0664db4c080228cffb" ON "integration"."sync_job"  ("started_at", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "integration"."IDX_dd95101e0664db4c080228cffb"`);
    await queryRunner.query(`DROP INDEX "integration"."IDX_7faa867d26ecf068c1af2b89f6"`);
    await queryRunner.query(`DROP TABLE "integration"."sync_job"`);
  }
}
