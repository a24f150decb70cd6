import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource, type StoreName } from './data-sources';
import { StatementCounter } from './statement-counter';

/**
 * Writes a migration holding the difference between a store's entities and its existing
 * migrations: `npm run migration:generate -- <erp|crm|integration> <Name>`. It works in a scratch
 * database on DATABASE_URL's server (default: the local one) and drops it afterwards.
 */
async function main(): Promise<void> {
  const [store, name] = process.argv.slice(2) as [StoreName | undefined, string | undefined];
  if (!store || !['erp', 'crm', 'integration'].includes(store) || !name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    throw new Error('usage: migration:generate <erp|crm|integration> <PascalCaseName>');
  }
  const serverUrl = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const scratch = `migration_scratch_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  serverUrl.pathname = `/${scratch}`;
  const dataSource = createDataSource(store, serverUrl.toString(), new StatementCounter(store, false), 2);
  try {
    await dataSource.initialize();
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${store}`);
    await dataSource.runMigrations();
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      console.log(`${store}: the entities match the migrations; nothing to generate`);
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const quote = (query: string) => '`' + query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const body = (queries: { query: string }[]) => queries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
    const file = path.join('src', 'db', 'migrations', store, `${timestamp}-${name}.ts`);
    await writeFile(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${body(sql.upQueries)}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${body([...sql.downQueries].reverse())}\n  }\n}\n`,
    );
    console.log(`wrote ${file}; add ${className} to src/db/migrations/index.ts`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
