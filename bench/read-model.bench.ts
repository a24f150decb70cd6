import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { Stores } from '../src/db/data-sources';
import { CHANGE_CHANNEL } from '../src/db/migrations/change-notifications.sql';
import { waitForOutput } from '../test/support/processes';
import { benchDatabase, latencies, loadAverage, machine, runBench, stopProcess, withDemoCopy, writeResults, type DemoCopy } from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_READ_MODEL_CUSTOMERS ?? 10_000);
/** Records inserted into each system. */
const RECORDS = Number(process.env.BENCH_READ_MODEL_RECORDS ?? 250);
/** Inserts made first and not counted: connections, JIT and caches of a fresh gateway. */
const WARM_UP = 10;
const TIMEOUT_MS = 30_000;

interface Insert {
  readonly label: string;
  /** Inserts one record named `name` with plain SQL, as another application sharing the database would. */
  run(stores: Stores, name: string): Promise<unknown>;
}

function inserts(owner: string): Insert[] {
  return [
    {
      label: 'ERP customer (INSERT INTO erp.customer)',
      run: (stores, name) =>
        stores.erp.query(`INSERT INTO erp.customer (system_id, modified_at, modified_by, no, name) VALUES ($1, now(), 'BENCH', $2, $3)`, [randomUUID(), name.slice(-20), name]),
    },
    {
      label: 'CRM account (INSERT INTO crm.account)',
      run: (stores, name) =>
        stores.crm.query(
          `INSERT INTO crm.account (id, modified_at, modified_by, name, customer_type_code, state_code, owner_id) VALUES ($1, now(), $2, $3, 'CUSTOMER', 'ACTIVE', $2)`,
          [randomUUID(), owner, name],
        ),
    },
  ];
}

/** Counts the change notifications of the ERP and CRM tables: the floor under any follower's delay. */
class NotificationClock {
  private heard = 0;
  private readonly waiting = new Set<() => void>();

  private constructor(private readonly client: Client) {
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL) return;
      this.heard += 1;
      for (const wake of this.waiting) wake();
    });
  }

  static async listen(url: string): Promise<NotificationClock> {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    return new NotificationClock(client);
  }

  get count(): number {
    return this.heard;
  }

  /** Resolves once more than `seen` notifications have arrived. */
  after(seen: number): Promise<void> {
    if (this.heard > seen) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        if (this.heard <= seen) return;
        this.waiting.delete(wake);
        resolve();
      };
      this.waiting.add(wake);
    });
  }

  stop(): Promise<void> {
    return this.client.end();
  }
}

/** `npm start` in a process of its own on `url`, without a worker; resolves once its read model is complete. */
async function startGatewayProcess(url: string): Promise<{ graphql: string; token: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'src', 'server', 'main.js')], {
    env: { ...process.env, DATABASE_URL: url, PORT: '0', IN_PROCESS_WORKER: 'false', AUTH_JWT_SECRET: '', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const token = waitForOutput(child, /viewer\s+(\S+)/);
  const [, graphql] = (await waitForOutput(child, /ready at (http:\S+)/, 120_000)) as unknown as [string, string];
  const readyz = graphql.replace(/\/graphql$/, '/readyz');
  while ((await fetch(readyz)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    graphql,
    token: ((await token) as unknown as [string, string])[1],
    stop: () => stopProcess(child),
  };
}

/**
 * `npm run bench:read-model`: records inserted with plain SQL into the ERP and the CRM, one at a
 * time, and the delay until each is listed by `customers(filter: { search })` of a gateway
 * process, against the delay until the table's change notification reaches a plain listener.
 */
async function measure({ url, stores }: DemoCopy): Promise<void> {
  const loadBefore = loadAverage();
  const clock = await NotificationClock.listen(url);
  const gateway = await startGatewayProcess(url);
  try {
    const [{ id: owner }] = (await stores.crm.query(`SELECT id FROM crm.system_user WHERE NOT is_integration_user ORDER BY id LIMIT 1`)) as Array<{ id: string }>;
    const ways = inserts(owner!);
    const measured = ways.map(() => ({ listed: [] as number[], notified: [] as number[], timeouts: 0 }));
    const listed = async (name: string) => {
      const response = await fetch(gateway.graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.token}` },
        body: JSON.stringify({ query: 'query ($search: String!) { customers(first: 1, filter: { search: $search }) { totalCount } }', variables: { search: name } }),
      });
      const body = (await response.json()) as { data?: { customers: { totalCount: number } }; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!.customers.totalCount > 0;
    };
    for (let i = 0; i < WARM_UP + 2 * RECORDS; i += 1) {
      const way = ways[i % ways.length]!;
      const name = `Read model bench ${randomUUID()}`;
      const heardBefore = clock.count;
      await way.run(stores, name);
      const committed = performance.now();
      const notified = clock.after(heardBefore).then(() => performance.now() - committed);
      let delay: number | null = null;
      while (delay === null) {
        if (await listed(name)) delay = performance.now() - committed;
        else if (performance.now() - committed > TIMEOUT_MS) break;
      }
      const notification = await notified;
      if (i < WARM_UP) continue;
      const outcome = measured[i % ways.length]!;
      if (delay === null) outcome.timeouts += 1;
      else outcome.listed.push(delay);
      outcome.notified.push(notification);
      if ((i + 1) % 100 === 0) console.log(`${i + 1} records`);
    }
    const row = (label: string, listedMs: number[], notifiedMs: number[], timeouts: number) => {
      const p = latencies(listedMs, [50, 95, 99]);
      const n = latencies(notifiedMs, [50, 95, 99]);
      return `| ${label} | ${listedMs.length} | ${p.p50} | ${p.p95} | ${p.p99} | ${Math.max(...listedMs).toFixed(0)} ms | ${timeouts} | ${n.p50} / ${n.p95} / ${n.p99} |`;
    };
    await writeResults(
      'read-model',
      [
        '## Read model: records written straight into either system, until listed',
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:read-model\` on ${machine()}, PostgreSQL on the same machine (shared: load average ${loadBefore} at the start, ${loadAverage()} at the end).`,
        `A fresh copy of the ${CUSTOMERS.toLocaleString('en')}-customer demo company, one gateway process (\`npm start\`, IN_PROCESS_WORKER=false, default READ_MODEL_WINDOW_MS) whose read model had caught up (/readyz 200).`,
        `${(2 * RECORDS).toLocaleString('en')} records (after ${WARM_UP} not counted), alternately an ERP customer and a CRM account, one at a time: a committed plain SQL INSERT with modified_at = now().`,
        'Delay = from the INSERT returning to the benchmark until `customers(first: 1, filter: { search: <its unique name> })` over HTTP counts it, asked again as soon as each answer arrives.',
        `Baseline in the same run: from the INSERT returning until the table's \`${CHANGE_CHANNEL}\` notification reaches a plain pg client LISTENing beside the gateway (the floor under any follower). Timeout ${TIMEOUT_MS / 1000} s.`,
        '',
        '| inserted | records | p50 | p95 | p99 | max | timed out | notification p50 / p95 / p99 |',
        '|---|---|---|---|---|---|---|---|',
        ...ways.map((way, i) => row(way.label, measured[i]!.listed, measured[i]!.notified, measured[i]!.timeouts)),
        row(
          'both',
          measured.flatMap((m) => m.listed),
          measured.flatMap((m) => m.notified),
          measured.reduce((sum, m) => sum + m.timeouts, 0),
        ),
      ].join('\n'),
    );
  } finally {
    await gateway.stop();
    await clock.stop();
  }
}

async function main(): Promise<void> {
  const base = await benchDatabase(CUSTOMERS);
  try {
    await withDemoCopy(base, 'gw_bench_read_model', measure);
  } finally {
    await base.stop();
  }
}

runBench(main);
