import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statement-level triggers that announce every committed write to a synchronised table on the
 * `gateway_change` channel, with `schema.table` as payload; PostgreSQL delivers a notification
 * only on commit and folds a transaction's identical ones into one, so a bulk write costs one.
 */
export const CHANGE_CHANNEL = 'gateway_change';

function createChangeNotifications(schema: string, tables: readonly string[]): string[] {
  return [
    `CREATE FUNCTION "${schema}"."notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${CHANGE_CHANNEL}', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
        RETURN NULL;
      END $$`,
    ...tables.map(
      (table) => `CREATE TRIGGER "notify_change" AFTER INSERT OR UPDATE OR DELETE ON "${schema}"."${table}" FOR EACH STATEMENT EXECUTE FUNCTION "${schema}"."notify_change"()`,
    ),
  ];
}

function dropChangeNotifications(schema: string, tables: readonly string[]): string[] {
  return [...tables.map((table) => `DROP TRIGGER "notify_change" ON "${schema}"."${table}"`), `DROP FUNCTION "${schema}"."notify_change"()`];
}

/** A store's migration that adds the change notifications to its synchronised tables. */
export abstract class ChangeNotificationsMigration implements MigrationInterface {
  abstract readonly name: string;

  constructor(
    private readonly schema: string,
    private readonly tables: readonly string[],
  ) {}

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of createChangeNotifications(this.schema, this.tables)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of dropChangeNotifications(this.schema, this.tables)) await queryRunner.query(statement);
  }
}
