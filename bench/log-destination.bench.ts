import { spawn } from 'node:child_process';
import pino from 'pino';
import { loadAverage, machine } from './bench-support';

/**
 * What the operation log line costs the process, by pino destination: sonic-boom (pino's default,
 * a write through libuv's thread pool per line) or process.stdout (src/observability/logger.ts: a
 * non-blocking write(2) on the event loop). A child logs the line once or twice per event-loop
 * turn, turns 1 ms apart as under load, into a pipe the parent reads; its CPU (process.cpuUsage,
 * the pool's threads included) is divided by the turns. A child that logs nothing gives the cost of
 * a turn alone. Children run in turns, ROUNDS times.
 */
const TURNS = Number(process.env.BENCH_TURNS ?? 3_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Destination = 'sonic-boom' | 'process.stdout' | 'none';

const LINE = { reqId: 'b0f6c1f2-7a55-4c8e-9d0e-2a1f3b4c5d6e', operation: 'CustomerPage', type: 'query', role: 'viewer', durationMs: 12.3, outcome: 'ok' };

function child(destination: Destination, perTurn: number): void {
  const options = {
    base: { service: 'erp-crm-gateway', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  const log = destination === 'sonic-boom' ? pino(options) : pino(options, process.stdout);
  const lines = destination === 'none' ? 0 : perTurn;
  const started = process.cpuUsage();
  let turn = 0;
  const step = () => {
    if (turn++ === TURNS) {
      const used = process.cpuUsage(started);
      process.send!((used.user + used.system) / TURNS);
      return;
    }
    for (let line = 0; line < lines; line += 1) log.info(LINE, 'graphql operation');
    setTimeout(step, 1);
  };
  step();
}

function run(destination: Destination, perTurn: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [__filename, destination, String(perTurn)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    process_.stdout!.resume();
    process_.once('message', (micros) => {
      resolve(micros as number);
      process_.kill();
    });
    process_.once('error', reject);
  });
}

async function main(): Promise<void> {
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const perTurn of [1, 2]) {
      for (const destination of ['sonic-boom', 'process.stdout', 'none'] as const) {
        if (destination === 'none' && perTurn === 2) continue;
        const key = destination === 'none' ? 'no line' : `${destination}, ${perTurn} line${perTurn > 1 ? 's' : ''} a turn`;
        results.set(key, [...(results.get(key) ?? []), await run(destination, perTurn)]);
      }
    }
  }
  console.log(`${machine()}, load average ${loadAverage()}; ${TURNS} turns 1 ms apart, ${ROUNDS} rounds\n`);
  console.log('| destination | CPU per turn (µs) |\n|---|---|');
  for (const [key, micros] of results) console.log(`| ${key} | ${Math.round(Math.min(...micros))}–${Math.round(Math.max(...micros))} |`);
}

const [destination, perTurn] = process.argv.slice(2);
if (destination) child(destination as Destination, Number(perTurn));
else void main();
