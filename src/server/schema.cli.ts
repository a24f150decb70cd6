import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildGatewaySchema, printGatewaySchema } from './schema';

const SCHEMA_FILE = path.join(process.cwd(), 'schema', 'schema.graphql');

/** `--write` emits schema/schema.graphql from the code; `--check` fails when the file is stale. */
async function main(): Promise<void> {
  const mode = process.argv[2];
  const sdl = printGatewaySchema(await buildGatewaySchema());
  if (mode === '--write') {
    await writeFile(SCHEMA_FILE, sdl);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
    return;
  }
  if (mode !== '--check') throw new Error('usage: schema.cli (--write | --check)');
  const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error('schema/schema.graphql is stale: run `npm run schema:emit` and commit the result');
    process.exitCode = 1;
    return;
  }
  console.log('schema/schema.graphql is up to date');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
