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
