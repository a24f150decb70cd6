import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { print } from 'graphql';
import { Role } from '../src/auth/role';
import { TokenService } from '../src/auth/tokens';
import { databaseUrl } from '../test/support/database-server';
import { CustomersPageDocument } from '../test/generated/operations';
import { benchDatabase, loadAverage, machine, runBench, writeResults } from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** A checkout of another commit, built (`npm run build`), to compare with: e.g. the branch's base. */
const BASELINE = process.env.BENCH_BASELINE;
const SECRET = 'bench-secret-bench-secret-bench-secret!';

interface Gateway {
  readonly url: string;
  readonly child: ChildProcess;
}

/** A gateway process of one build, in production as it is run, its log (if any) read and thrown away. */
async function startGateway(root: string, dbUrl: string): Promise<Gateway> {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'src', 'server', 'main.js')], {
    env: { ...process.env, DATABASE_URL: dbUrl, AUTH_JWT_SECRET: SECRET, NODE_ENV: 'production', PORT: '0', IN_PROCESS_WORKER: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The base printed a plain banner; this branch logs a JSON line.
      const match = /ready at (http:\S+)|"url":"(http:[^"]+)"/.exec(output);
      if (match) resolve((match[1] ?? match[2])!);
    });
  });
  return { url, child };
}

async function stop(gateway: Gateway): Promise<void> {
  const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
  gateway.child.kill('SIGTERM');
  await exited;
}

/** The two loads: a page of the read path, and an operation that reads nothing (the fixed cost per request, where a log line and metrics weigh most). */
const LOADS = {
  // First: requests of the slower load still under way when its round ends would slow the next one.
  '{ __typename }': JSON.stringify({ query: 'query Ping { __typename }', operationName: 'Ping' }),
  'customers(first: 50)': JSON.stringify({ query: print(CustomersPageDocument), variables: { first: 50 } }),
} as const;

async function load(url: string, body: string): Promise<number> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${new TokenService(SECRET).issue('bench', [Role.VIEWER])}` };
  const probe = (await (await fetch(url, { method: 'POST', headers, body })).json()) as { data?: unknown; errors?: unknown };
  if (!probe.data || probe.errors) throw new Error(`probe failed: ${JSON.stringify(probe)}`);
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: SECONDS, timeout: 60 }, (error, outcome) => (error ? reject(error) : resolve(outcome))),
  );
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors (timeouts: ${result.timeouts})`);
  return result.requests.average;
}

/**
 * `npm run bench:observability`: what the per-operation log line and metrics cost on the read
 * path. customers(first: 50) under autocannon against this build and, with BENCH_BASELINE, against
 * another build (the branch's base) on the same database, in alternating rounds.
 */
async function main(): Promise<void> {
  const database = await benchDatabase(CUSTOMERS);
  const dbUrl = databaseUrl(database.serverUrl, database.name);
  const builds = [{ name: 'this branch', root: process.cwd() }, ...(BASELINE ? [{ name: 'baseline', root: BASELINE }] : [])];
  const rates = new Map<string, number[]>(builds.flatMap((build) => Object.keys(LOADS).map((query) => [`${build.name}\u0000${query}`, []])));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
      const gateway = await startGateway(build.root, dbUrl);
      try {
        for (const [query, body] of Object.entries(LOADS)) {
          rates.get(`${build.name}\u0000${query}`)!.push(await load(gateway.url, body));
          console.log(`round ${round + 1}, ${build.name}, ${query}: ${rates.get(`${build.name}\u0000${query}`)!.at(-1)!.toFixed(1)} requests/s`);
        }
      } finally {
        await stop(gateway);
      }
    }
  }
  const range = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
  await writeResults(
    'observability',
    [
      '## Cost of logging and metrics per request: customers(first: 50) and { __typename }',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:observability\` on ${machine()}, load average ${loadAverage()} at the end (the machine is shared),`,
      `${CUSTOMERS.toLocaleString('en')} customers, gateway processes in production mode, ${CONNECTIONS} connections, ${SECONDS} s per round, ${ROUNDS} alternating rounds per build.`,
      '',
      '| operation | build | requests/s per round | range |',
      '|---|---|---|---|',
      ...Object.keys(LOADS).flatMap((query) =>
        builds.map((build) => {
          const values = rates.get(`${build.name}\u0000${query}`)!;
          return `| \`${query}\` | ${build.name}${build.root === process.cwd() ? '' : ` (${path.basename(build.root)})`} | ${values.map((rate) => rate.toFixed(1)).join(', ')} | ${range(values)} |`;
        }),
      ),
    ].join('\n'),
  );
  await database.stop();
}

runBench(main);
