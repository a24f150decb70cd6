import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { parse, print, specifiedRules, validate } from 'graphql';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { TokenService } from '../src/auth/tokens';
import { DEFAULT_EDGE_LIMITS, type EdgeLimits } from '../src/config/config';
import { closeStores } from '../src/db/data-sources';
import { createServices } from '../src/server/bootstrap';
import { startGateway } from '../src/server/gateway';
import { estimateCost } from '../src/server/limits/operation-cost';
import { limitRules } from '../src/server/limits/operation-limits';
import { buildGatewaySchema } from '../src/server/schema';
import { CustomersPageDocument } from '../test/generated/operations';
import { waitForOutput } from '../test/support/processes';
import { benchDatabase, loadAverage, machine, openBenchStores, runBench, writeResults } from './bench-support';

// Not a size other benchmarks use: their databases (gw_bench_<size>) may be seeding at the same time.
const CUSTOMERS = Number(process.env.BENCH_EDGE_CUSTOMERS ?? 2_500);
const SECONDS = Number(process.env.BENCH_EDGE_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_EDGE_ROUNDS ?? 3);
/** A build of the branch's base with this folder's edge-serve.js beside it (see bench/RESULTS.md). */
const BASE_DIST = process.env.BENCH_EDGE_BASE_DIST ?? '';

const page = JSON.stringify({ query: print(CustomersPageDocument), variables: { first: 50 } });

async function throughput(dist: string, serverUrl: string, database: string) {
  const child = spawn(process.execPath, [path.join(dist, 'bench', 'edge-serve.js'), serverUrl, database], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [, url, token] = (await waitForOutput(child, /ready (\S+) (\S+)/)) as unknown as [string, string, string];
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const run = (duration: number) =>
      new Promise<autocannon.Result>((resolve, reject) =>
        autocannon({ url, method: 'POST', headers, body: page, connections: 10, duration }, (error, result) => (error ? reject(error) : resolve(result))),
      );
    await run(2);
    const result = await run(SECONDS);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
  } finally {
    child.kill('SIGKILL');
  }
}

/** Sends `body` and measures the answer's time and the longest event-loop stall of this (the gateway's) process meanwhile. */
async function stall(send: () => Promise<string>) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const outcome = await send();
  const elapsed = performance.now() - started;
  delay.disable();
  return { elapsed, maxStall: delay.max / 1e6, outcome };
}

function micro(label: string, iterations: number, work: () => void): string {
  for (let i = 0; i < Math.min(iterations, 1_000); i += 1) work();
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) work();
  return `| ${label} | ${(((performance.now() - started) * 1000) / iterations).toFixed(1)} µs |`;
}

/**
 * `npm run bench:edge`: what the edge's limits cost and what they spare. customers(first: 50)
 * under autocannon against this branch and its base (BENCH_EDGE_BASE_DIST) in turns; a 950 KB
 * document and a 5 MB socket message with and without the limits; each check's own cost.
 */
async function main(): Promise<void> {
  const database = await benchDatabase(CUSTOMERS);
  const lines: string[] = [
    '## The GraphQL edge: limits, deadlines, tokens',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:edge\` on ${machine()}, shared with other work (load average ${loadAverage()} at the start); ${CUSTOMERS.toLocaleString('en')} customers.`,
  ];

  const here = path.join(__dirname, '..');
  const variants = [['this branch', here], ...(BASE_DIST && existsSync(path.join(BASE_DIST, 'bench', 'edge-serve.js')) ? [['base (no limits)', BASE_DIST]] : [])] as const;
  const runs: Record<string, Array<Awaited<ReturnType<typeof throughput>>>> = {};
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [label, dist] of round % 2 === 0 ? variants : [...variants].reverse()) (runs[label] ??= []).push(await throughput(dist, database.serverUrl, database.name));
  }
  const range = (values: number[], digits = 0) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  lines.push(
    '',
    `customers(first: 50) with both sides, coupling, salesperson, currency and contacts; autocannon, 10 connections, ${SECONDS} s, ${ROUNDS} rounds taken in turns (range over rounds):`,
    '',
    '| gateway | requests/s | p50 | p99 | non-2xx |',
    '|---|---|---|---|---|',
  );
  for (const [label, results] of Object.entries(runs)) {
    lines.push(
      `| ${label} | ${range(results.map((r) => r.rps))} | ${range(results.map((r) => r.p50))} ms | ${range(results.map((r) => r.p99))} ms | ${results.reduce((n, r) => n + r.non2xx, 0)} |`,
    );
  }

  const stores = await openBenchStores(database.serverUrl, database.name);
  const services = createServices(stores, 'bench-secret-bench-secret-bench-secret!');
  const schema = await buildGatewaySchema();
  const token = services.tokens.issue('bench', [Role.VIEWER]);
  const serve = (limits: Partial<EdgeLimits>) => startGateway({ schema, services, port: 0, host: '127.0.0.1', production: true, limits });
  const huge = `{ ${'a: __typename '.repeat(Math.floor(950_000 / 15))}}`;
  const socketMessage = JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ ${'__typename '.repeat(Math.floor(5_000_000 / 11))}}` } });
  lines.push(
    '',
    "One hostile request, answered by a gateway in this process (the longest event-loop stall is the gateway's):",
    '',
    '| request | limits | answer | time | longest stall |',
    '|---|---|---|---|---|',
  );
  for (const [label, limits] of [
    ['defaults, body limit raised to 1 MB', { maxBodyBytes: 1_048_576 }],
    ['no token limit, 1 MB body (as before)', { maxBodyBytes: 1_048_576, maxTokens: 100_000_000 }],
  ] as const) {
    const gateway = await serve(limits);
    const { elapsed, maxStall, outcome } = await stall(async () => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: huge }),
      });
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      return `${response.status} ${body.errors?.[0]?.extensions?.code ?? 'data'}`;
    });
    lines.push(
      `| 950 KB document (${(huge.length / 1000).toFixed(0)} KB, ${Math.floor(950_000 / 15)} aliases) | ${label} | ${outcome} | ${elapsed.toFixed(0)} ms | ${maxStall.toFixed(0)} ms |`,
    );
    await gateway.stop();
  }
  for (const [label, limits] of [
    ['defaults (256 KB payload)', {}],
    ['64 MB payload (as before: no maxPayload)', { wsMaxPayloadBytes: 64 * 1024 * 1024, maxTokens: 100_000_000 }],
  ] as const) {
    const gateway = await serve(limits);
    const { elapsed, maxStall, outcome } = await stall(
      () =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
          socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
          socket.on('message', (data) => {
            const message = JSON.parse(String(data)) as { type: string; payload?: Array<{ extensions?: { code?: string } }> };
            if (message.type === 'connection_ack') socket.send(socketMessage);
            else {
              resolve(`${message.type} ${message.payload?.[0]?.extensions?.code ?? ''}`.trim());
              socket.close();
            }
          });
          socket.on('close', (code) => resolve(`closed ${code}`));
        }),
    );
    lines.push(`| 5 MB graphql-ws message | ${label} | ${outcome} | ${elapsed.toFixed(0)} ms | ${maxStall.toFixed(0)} ms |`);
    await gateway.stop();
  }

  const document = parse(print(CustomersPageDocument));
  const rules = limitRules(DEFAULT_EDGE_LIMITS);
  const secret = 'bench-secret-bench-secret-bench-secret!';
  const cold = new TokenService(secret);
  // More tokens than calls: each is seen once.
  const tokens = Array.from({ length: 6_500 }, (_, i) => cold.issue(`user-${i}`, [Role.VIEWER]));
  let next = 0;
  lines.push(
    '',
    "Each check's own cost on this document (per call, in this process; validation runs once per distinct document, Apollo keeps validated documents):",
    '',
    '| check | cost |',
    '|---|---|',
    micro('graphql-js specified rules (for comparison)', 2_000, () => validate(schema, document, specifiedRules)),
    micro('depth, aliases and directives rules alone', 2_000, () => validate(schema, document, rules)),
    micro('estimated cost with variables (per request)', 20_000, () => estimateCost(schema, document, null, { first: 50 + (next++ % 2) })),
    micro('token verified as before (jwt.verify with the secret string)', 2_000, () => jwt.verify(tokens[next++ % tokens.length]!, secret, { algorithms: ['HS256'] })),
    micro('token verified now, first sight (secret KeyObject)', 2_000, () => cold.authenticate(`Bearer ${tokens[next++ % tokens.length]}`)),
    micro('token verified again (cached)', 20_000, () => services.tokens.authenticate(`Bearer ${token}`)),
  );
  await writeResults('edge', lines.join('\n'));
  await services.close();
  await closeStores(stores);
  await database.stop();
}

runBench(main);
