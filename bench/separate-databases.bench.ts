import 'reflect-metadata';
import os from 'node:os';
import autocannon from 'autocannon';
import { print } from 'graphql';
import { startGateway, type RunningGateway } from '../src/server/gateway';
import { CustomersPageDocument } from '../test/generated/operations';
import { findDatabaseServer } from '../test/support/database-server';
import { gatewaySchema, startTestGateway, type TestGateway } from '../test/support/test-gateway';
import { machine, percentile, runBench } from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ALTERNATING_REQUESTS = Number(process.env.BENCH_ALTERNATING ?? 300);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10').split(',').map(Number);
const PAGE = { first: 50, filter: { coupled: true } };

type Path = 'loaders' | 'read ahead';

async function load(url: string, headers: Record<string, string>, body: string, connections: number) {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, method: 'POST', headers, body, connections, duration: SECONDS }, (error, outcome) => (error ? reject(error) : resolve(outcome)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  const { user, system } = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  // The gateway's CPU per request (autocannon's share included, the same for both paths): less at the mercy of a busy machine than latency.
  return { requestsPerSecond: result.requests.average, p50: percentile(latencies, 50), cpuMs: (user + system) / 1000 / Math.max(1, result.requests.total) };
}

/** One request at a time, the two paths taking turns request by request, so that both see the same moments of a busy machine. */
async function alternate(urls: Record<Path, string>, headers: Record<string, string>, body: string, requests: number) {
  const latencies: Record<Path, number[]> = { loaders: [], 'read ahead': [] };
  for (let n = 0; n < requests; n += 1) {
    const order: Path[] = n % 2 === 0 ? ['loaders', 'read ahead'] : ['read ahead', 'loaders'];
    for (const path of order) {
      const started = performance.now();
      const response = await fetch(urls[path], { method: 'POST', headers, body });
      await response.text();
      latencies[path].push(performance.now() - started);
    }
  }
  for (const values of Object.values(latencies)) values.sort((a, b) => a - b);
  return latencies;
}

/** Statements one page costs on each store, and its answer. */
async function probe(gateway: TestGateway, url: string, headers: Record<string, string>, body: string) {
  const counters = gateway.stores.counters;
  const count = () => ({ erp: counters.erp.statements, crm: counters.crm.statements, integration: counters.integration.statements });
  const before = count();
  const answer = await (await fetch(url, { method: 'POST', headers, body })).text();
  const after = count();
  return { statements: { erp: after.erp - before.erp, crm: after.crm - before.crm, integration: after.integration - before.integration }, answer };
}

const range = (values: readonly number[], digits: number) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

/**
 * `npm run bench:separate`: the benchmark page (50 coupled customers with both sides, coupling,
 * salesperson, currency, contacts and totalCount) on separate ERP, CRM and integration databases,
 * through the loaders one relation at a time and read ahead one statement per store, in
 * interleaved rounds over the same data.
 */
async function main(): Promise<void> {
  const server = await findDatabaseServer();
  process.env.TEST_DATABASE_SERVER = server.url;
  const gateway = await startTestGateway({ label: 'bench_separate', customers: CUSTOMERS, separateDatabases: true, production: true });
  let loaders: RunningGateway | null = null;
  try {
    loaders = await startGateway({ schema: await gatewaySchema(), services: { ...gateway.services, readsAhead: false }, port: 0, host: '127.0.0.1', production: true });
    const urls: Record<Path, string> = { loaders: loaders.url, 'read ahead': gateway.url };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` };
    const body = JSON.stringify({ query: print(CustomersPageDocument), variables: PAGE });
    const probes = { loaders: await probe(gateway, urls.loaders, headers, body), 'read ahead': await probe(gateway, urls['read ahead'], headers, body) };
    if (probes.loaders.answer !== probes['read ahead'].answer) throw new Error('the two paths answer differently');
    const runs = new Map<string, Array<{ requestsPerSecond: number; p50: number; cpuMs: number }>>();
    const loads: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const order: Path[] = round % 2 === 0 ? ['loaders', 'read ahead'] : ['read ahead', 'loaders'];
      for (const connections of CONNECTIONS) {
        for (const path of order) {
          const key = `${path}@${connections}`;
          runs.set(key, [...(runs.get(key) ?? []), await load(urls[path], headers, body, connections)]);
        }
      }
      loads.push(os.loadavg()[0]!.toFixed(2));
    }
    const turns = await alternate(urls, headers, body, ALTERNATING_REQUESTS);
    const lines = [
      `${machine()}; ${CUSTOMERS.toLocaleString('en')} demo customers; ${ROUNDS} interleaved rounds of ${SECONDS} s per path and connection count; 1-minute load average after each round: ${loads.join(' / ')}.`,
      '',
      '| path | statements (erp, crm, integration) | connections | requests/s | p50 | Node CPU per request |',
      '|---|---|---|---|---|---|',
      ...(['loaders', 'read ahead'] as const).flatMap((path) =>
        CONNECTIONS.map((connections) => {
          const measured = runs.get(`${path}@${connections}`)!;
          const { erp, crm, integration } = probes[path].statements;
          return `| ${path} | ${erp}, ${crm}, ${integration} | ${connections} | ${range(
            measured.map((run) => run.requestsPerSecond),
            1,
          )} | ${range(
            measured.map((run) => run.p50),
            1,
          )} ms | ${range(
            measured.map((run) => run.cpuMs),
            1,
          )} ms |`;
        }),
      ),
      '',
      `One request at a time, ${ALTERNATING_REQUESTS} per path, the paths taking turns request by request (1-minute load average after: ${os.loadavg()[0]!.toFixed(2)}):`,
      '',
      '| path | p25 | p50 | p90 |',
      '|---|---|---|---|',
      ...(['loaders', 'read ahead'] as const).map((path) => `| ${path} | ${[25, 50, 90].map((p) => `${percentile(turns[path], p).toFixed(1)} ms`).join(' | ')} |`),
    ];
    console.log(lines.join('\n'));
  } finally {
    await loaders?.stop();
    await gateway.close();
    await server.embedded?.stop();
  }
}

runBench(main);
