import type { DataSource } from 'typeorm';

/** A fingerprint of every row of the given tables, to show a refused mutation changed nothing. */
export async function checksum(dataSource: DataSource, tables: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) {
    const [row] = await dataSource.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM ${table} t`);
    parts.push(`${table}:${row.n}:${row.sum}`);
  }
  return parts.join(' ');
}

const fingerprints = new WeakMap<DataSource, Map<string, string>>();

/** One fingerprint of every table in the given schemas, in one statement (the fuzz test takes hundreds). */
export async function schemaFingerprint(dataSource: DataSource, schemas: readonly string[]): Promise<string> {
  let statements = fingerprints.get(dataSource);
  if (!statements) fingerprints.set(dataSource, (statements = new Map()));
  const key = schemas.join(',');
  let sql = statements.get(key);
  if (!sql) statements.set(key, (sql = await fingerprintStatement(dataSource, schemas)));
  const [row] = await dataSource.query(sql);
  return row.sum as string;
}

async function fingerprintStatement(dataSource: DataSource, schemas: readonly string[]): Promise<string> {
  const tables: Array<{ name: string }> = await dataSource.query(
    "SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1",
    [schemas],
  );
  const parts = tables.map(({ name }) => `SELECT '${name}' || ':' || count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS part FROM ${name} t`);
  return `SELECT string_agg(part, ' ' ORDER BY part) AS sum FROM (${parts.join(' UNION ALL ')}) parts`;
}
