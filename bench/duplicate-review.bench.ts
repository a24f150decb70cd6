import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CandidatePool, likelyMatches } from '../src/duplicates/duplicate-candidates';
import { FingerprintRecipe, type FieldPair } from '../src/duplicates/record-fingerprint';
import { databaseUrl, findDatabaseServer, withAdminClient } from '../test/support/database-server';
import { loadAverage, machine, runBench, writeResults } from './bench-support';

const SYLLABLES = 'ba be bo da de di fa fe ga go ka ke ki la le lo ma me mi na ne no pa pe ra re ri sa se so ta te to va ve wa za'.split(' ');
const KINDS = 'Traders Supplies Logistics Foods Motors Design Systems Partners Works Holdings'.split(' ');
const FORMS = ['Ltd.', 'Inc.', 'GmbH', '', 'LLC'];
const FIELDS: FieldPair[] = [
  ['name', 'name'],
  ['phoneNo', 'telephone1'],
  ['email', 'emailAddress1'],
  ['address', 'address1Line1'],
  ['city', 'address1City'],
  ['postCode', 'address1PostalCode'],
].map(([erpField, crmField]) => ({ erpField: erpField!, crmField: crmField!, matchField: erpField === 'name' || erpField === 'phoneNo', enabled: true }));

/** A seeded generator (mulberry32), so that every run compares the same companies. */
function generator(seed: number) {
  return (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/**
 * The duplicate review's cost: new records scored against a pool of the other system's uncoupled
 * records (the CUSTOMER recipe: name, phone, e-mail, address), time and statements per batch,
 * on a database of its own with pg_trgm.
 */
async function main(): Promise<void> {
  const server = await findDatabaseServer();
  const name = `gw_bench_dup_${randomBytes(4).toString('hex')}`;
  await withAdminClient(server.url, (client) => client.query(`CREATE DATABASE ${name}`));
  const db = new DataSource({ type: 'postgres', url: databaseUrl(server.url, name) });
  await db.initialize();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    let statements = 0;
    const query = db.query.bind(db);
    db.query = ((...args: Parameters<DataSource['query']>) => ((statements += 1), query(...args))) as DataSource['query'];
    const recipe = FingerprintRecipe.of(FIELDS)!;
    const rnd = generator(7);
    const word = () => Array.from({ length: 2 + rnd(2) }, () => SYLLABLES[rnd(SYLLABLES.length)]).join('');
    const company = () => ({
      name: `${word()} ${rnd(2) === 0 ? `${word()} ` : ''}${KINDS[rnd(KINDS.length)]} ${FORMS[rnd(FORMS.length)]}`,
      phoneNo: `+1 ${200 + rnd(800)} 555 ${String(rnd(10_000)).padStart(4, '0')}`,
      email: `info@company${rnd(5_000)}.example`,
      address: `${rnd(999)} Main Street`,
      city: 'Springfield',
      postCode: String(10_000 + rnd(80_000)),
    });
    const rows = ['| new records | pool | ms | statements | pairs scored | held |', '|---|---|---|---|---|---|'];
    for (const [sources, poolSize] of [
      [2_000, 5_000],
      [2_000, 500],
      [200, 50_000],
      [2_000, 50_000],
    ] as const) {
      const pool = new CandidatePool(
        Array.from({ length: poolSize }, (_, index) => {
          const record = company();
          const account = {
            name: record.name.toUpperCase(),
            telephone1: record.phoneNo,
            emailAddress1: record.email,
            address1Line1: record.address,
            address1City: record.city,
            address1PostalCode: record.postCode,
          };
          return { key: String(index), print: recipe.fingerprint('crm', account) };
        }),
      );
      // One new record in twenty is a customer the pool holds already, its name in capitals and without its legal form.
      const prints = Array.from({ length: sources }, (_, index) => {
        const known = index % 20 === 0 ? pool.entries[rnd(poolSize)]!.print : null;
        return known ? { ...known, criteria: null } : recipe.fingerprint('erp', company());
      });
      const pairs = prints.reduce((sum, print) => sum + pool.near(print).size, 0);
      statements = 0;
      const started = process.hrtime.bigint();
      const found = await likelyMatches(db, prints, pool, 0.8, () => false);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      rows.push(
        `| ${sources.toLocaleString('en')} | ${poolSize.toLocaleString('en')} | ${ms.toFixed(0)} | ${statements} | ${pairs.toLocaleString('en')} | ${found.filter((candidates) => candidates.length > 0).length} |`,
      );
    }
    await writeResults(
      'duplicate-review',
      [
        "## Duplicate review: new records scored against the other system's uncoupled records",
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:duplicates\` on ${machine()}, PostgreSQL on the same machine, load average ${loadAverage()}.`,
        'Generated companies (one or two made-up words of two or three syllables, one of 10 kinds, a legal form; phone, e-mail, address), one new record in twenty a copy of a pooled one; the CUSTOMER recipe, threshold 0.8.',
        "Pairs scored: those sharing a blocking key (two name words' first four letters, the phone, the match fields), each one row of one `similarity()` statement per 20,000.",
        '',
        ...rows,
      ].join('\n'),
    );
  } finally {
    await db.destroy();
    await withAdminClient(server.url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await server.embedded?.stop();
  }
}

runBench(main);
