import 'reflect-metadata';
import autocannon from 'autocannon';
import { print } from 'graphql';
import { Role } from '../src/auth/role';
import { closeStores } from '../src/db/data-sources';
import { createServices } from '../src/server/bootstrap';
import { startGateway } from '../src/server/gateway';
import { buildGatewaySchema } from '../src/server/schema';
import { CustomersPageDocument } from '../test/generated/operations';
import { benchDatabase, machine, openBenchStores, percentile, runBench, writeResults } from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10').split(',').map(Number);

async function load(url: string, headers: Record<string, string>, body: string, connections: number) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, method: 'POST', headers, body, connections, duration: DURATION_SECONDS }, (error, outcome) => (error ? reject(error) : resolve(outcome)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(latencies, p).toFixed(1));
  return { requestsPerSecond: result.requests.average, p50, p95, p99, total: result.requests.total, non2xx: result.non2xx, errors: result.errors };
}

/**
 * `npm run bench`: customers(first: 100) with both sides, coupling, salesperson, currency and
 * contacts, on a demo company of BENCH_CUSTOMERS customers, under autocannon.
 */
async function main(): Promise<void> {
  const database = await benchDatabase(CUSTOMERS);
  const stores = await openBenchStores(database.serverUrl, database.name);
  const services = createServices(stores, 'bench-secret-bench-secret-bench-secret!');
  const gateway = await startGateway({ schema: await buildGatewaySchema(), services, port: 0, host: '127.0.0.1', production: true });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${services.tokens.issue('bench', [Role.VIEWER])}` };
  const body = JSON.stringify({ query: print(CustomersPageDocument), variables: { first: 100 } });
  const count = () => stores.counters.erp.statements + stores.counters.crm.statements + stores.counters.integration.statements;
  await fetch(gateway.url, { method: 'POST', headers, body });
  const before = count();
  const probe = (await (await fetch(gateway.url, { method: 'POST', headers, body })).json()) as { data?: { customers: { edges: unknown[] } }; errors?: unknown };
  const statementsPerRequest = count() - before;
  if (probe.errors || probe.data?.customers.edges.length !== 100) throw new Error(`probe failed: ${JSON.stringify(probe.errors)}`);

  const runs = [];
  for (const connections of CONNECTIONS) runs.push({ connections, ...(await load(gateway.url, headers, body, connections)) });
  const customers = (await stores.erp.query('SELECT count(*)::int AS n FROM erp.customer'))[0].n as number;
  await writeResults(
    'customers',
    [
      '## customers(first: 100), both sides + coupling + salesperson + currency + contacts + totalCount',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on ${machine()}, PostgreSQL on the same machine,`,
      `ERP, CRM and integration store in one database; ${customers.toLocaleString('en')} ERP customers (and their CRM accounts, contacts, opportunities and invoices).`,
      `autocannon for ${DURATION_SECONDS} s per row; latencies from every response. SQL statements per request: **${statementsPerRequest}**, whatever the page size.`,
      '',
      '| connections | requests/s | p50 | p95 | p99 | requests (non-2xx, errors) |',
      '|---|---|---|---|---|---|',
      ...runs.map(
        (run) => `| ${run.connections} | ${run.requestsPerSecond.toFixed(1)} | ${run.p50} ms | ${run.p95} ms | ${run.p99} ms | ${run.total} (${run.non2xx}, ${run.errors}) |`,
      ),
      ...(database.seedSeconds !== null ? ['', `Generating and indexing the demo company took ${database.seedSeconds.toFixed(0)} s.`] : []),
    ].join('\n'),
  );
  await gateway.stop();
  await closeStores(stores);
  await database.stop();
}

runBench(main);
