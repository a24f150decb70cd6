import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadConfig } from '../src/config/config';
import type { Stores } from '../src/db/data-sources';
import { CHANGE_CHANNEL } from '../src/db/migrations/change-notifications.sql';
import { SyncMode } from '../src/sync/sync-mode';
import { benchDatabase, latencies, loadAverage, machine, runBench, startWorkerProcess, withDemoCopy, writeResults, type DemoCopy } from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_PROPAGATION_CUSTOMERS ?? 10_000);
const CHANGES = Number(process.env.BENCH_PROPAGATION_CHANGES ?? 1_000);
/** Changes made first and not counted: connections, JIT and caches of a fresh worker. */
const WARM_UP = 10;
const TIMEOUT_MS = 30_000;
/**
 * The worker's write to the target table is itself a change, followed (a change window later)
 * by an incremental run that finds only the integration's own edit. A change made meanwhile
 * would ride on that run and look faster than a change made alone, so each change waits this long.
 */
const PAUSE_MS = Number(process.env.BENCH_PROPAGATION_PAUSE_MS ?? 750);

interface Pair {
  readonly erpId: string;
  readonly crmId: string;
}

/**
 * Hears the change notifications of the ERP and CRM tables, so that the benchmark looks at the
 * target record as soon as the worker's write to it has committed, not on a polling beat.
 */
class ChangeHeard {
  private readonly counts = new Map<string, number>();
  private readonly waiting = new Set<() => void>();

  private constructor(private readonly client: Client) {
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
      this.counts.set(message.payload, this.count(message.payload) + 1);
      for (const wake of this.waiting) wake();
    });
  }

  static async listen(url: string): Promise<ChangeHeard> {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    return new ChangeHeard(client);
  }

  count(table: string): number {
    return this.counts.get(table) ?? 0;
  }

  /**
   * Milliseconds from `since` until `arrived` holds, checked at each committed write to `table`
   * after the `heard`-th one (and every second in case one is missed); null after the timeout.
   */
  async until(table: string, heard: number, since: number, arrived: () => Promise<boolean>): Promise<number | null> {
    for (let seen = heard; ;) {
      if (this.count(table) === seen) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 1_000);
          const waiting = this.waiting;
          function done() {
            clearTimeout(timer);
            waiting.delete(done);
            resolve();
          }
          waiting.add(done);
        });
      }
      seen = this.count(table);
      const at = performance.now();
      if (await arrived()) return at - since;
      if (at - since > TIMEOUT_MS) return null;
    }
  }

  stop(): Promise<void> {
    return this.client.end();
  }
}

/** One committed change on one side, and the time until the coupled record on the other side shows it. */
interface Direction {
  readonly label: string;
  readonly target: string;
  change(stores: Stores, pair: Pair, value: string): Promise<unknown>;
  arrived(stores: Stores, pair: Pair, value: string): Promise<boolean>;
  value(i: number): string;
}

function directions(salesUser: string): Direction[] {
  return [
    {
      label: 'ERP → CRM (customer name → account name)',
      target: 'crm.account',
      value: (i) => `Bench rename ${i}`,
      change: (stores, { erpId }, value) =>
        stores.erp.query(`UPDATE erp.customer SET name = $2, modified_at = now(), modified_by = 'ERP USER' WHERE system_id = $1`, [erpId, value]),
      arrived: async (stores, { crmId }, value) => (await stores.crm.query(`SELECT name FROM crm.account WHERE id = $1`, [crmId]))[0]?.name === value,
    },
    {
      label: 'CRM → ERP (account telephone1 → customer phone no.)',
      target: 'erp.customer',
      value: (i) => `+44 20 7946 ${String(i).padStart(4, '0')}`,
      change: (stores, { crmId }, value) =>
        stores.crm.query(`UPDATE crm.account SET telephone1 = $2, modified_at = now(), modified_by = $3 WHERE id = $1`, [crmId, value, salesUser]),
      arrived: async (stores, { erpId }, value) => (await stores.erp.query(`SELECT phone_no FROM erp.customer WHERE system_id = $1`, [erpId]))[0]?.phone_no === value,
    },
  ];
}

/**
 * `npm run bench:propagation`: committed changes to coupled customers, alternately in the ERP and
 * in the CRM, one at a time, each waited for on the other side; a stand-alone worker with the
 * default settings turns their change notifications into incremental runs.
 */
async function measure({ url, stores, services }: DemoCopy): Promise<void> {
  const heard = await ChangeHeard.listen(url);
  const loadBefore = loadAverage();
  try {
    // A mapping joins propagation once it has been synchronised.
    const first = await services.sync.runMapping('CUSTOMER', SyncMode.INCREMENTAL, 'bench');
    const pairs: Pair[] = await stores.integration.query(
      `SELECT erp_id AS "erpId", crm_id AS "crmId" FROM integration.integration_record
        WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_code LIMIT $1`,
      [WARM_UP + CHANGES],
    );
    if (pairs.length < WARM_UP + CHANGES) throw new Error(`only ${pairs.length} coupled customers in sync; need ${WARM_UP + CHANGES}`);
    const [{ id: salesUser }] = await stores.crm.query(`SELECT id FROM crm.system_user WHERE NOT is_integration_user LIMIT 1`);
    const ways = directions(salesUser);
    const measured = ways.map(() => ({ latencies: [] as number[], timeouts: 0 }));

    const worker = await startWorkerProcess(url);
    try {
      for (let i = 0; i < pairs.length; i += 1) {
        const way = ways[i % ways.length]!;
        const value = way.value(i);
        const before = heard.count(way.target);
        await way.change(stores, pairs[i]!, value);
        const latency = await heard.until(way.target, before, performance.now(), () => way.arrived(stores, pairs[i]!, value));
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        if (i < WARM_UP) continue;
        const outcome = measured[i % ways.length]!;
        if (latency === null) outcome.timeouts += 1;
        else outcome.latencies.push(latency);
        if ((i + 1) % 100 === 0) console.log(`${i + 1} changes`);
      }
    } finally {
      await worker.stop();
    }
    const defaults = loadConfig({}).worker;
    const all = measured.flatMap((m) => m.latencies);
    const row = (label: string, values: number[], timeouts: number) => {
      const p = latencies(values, [50, 95, 99]);
      return `| ${label} | ${values.length} | ${p.p50} | ${p.p95} | ${p.p99} | ${Math.max(...values).toFixed(0)} ms | ${timeouts} |`;
    };
    await writeResults(
      'propagation',
      [
        '## Change propagation latency',
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:propagation\` on ${machine()}, PostgreSQL on the same machine (shared: load average ${loadBefore} at the start, ${loadAverage()} at the end).`,
        `A fresh copy of the ${CUSTOMERS.toLocaleString('en')}-customer demo company; CUSTOMER synchronised once first (an incremental run: ${first.inserted.toLocaleString('en')} inserted, ${first.modified.toLocaleString('en')} modified), so it joins propagation.`,
        `One stand-alone worker process (\`npm run worker\`) with the default settings: change window ${defaults.changeWindowMs} ms, polling ${defaults.pollingIntervalSeconds} s, chunks of ${defaults.syncChunkSize.toLocaleString('en')}.`,
        `${CHANGES.toLocaleString('en')} changes (after ${WARM_UP} not counted), alternately in the ERP and the CRM, one at a time, each to a different coupled customer: a committed UPDATE of one field with modified_at = now() and a non-integration modifier.`,
        `Each change is made ${PAUSE_MS} ms after the previous one arrived, once the worker's follow-up run on its own write is over, so no change rides on another's run.`,
        `Latency = from the UPDATE's commit returning to the benchmark until the coupled record on the other side shows the new value, checked whenever that table's \`${CHANGE_CHANNEL}\` notification arrives (and every second besides). Timeout ${TIMEOUT_MS / 1000} s.`,
        '',
        '| direction | changes | p50 | p95 | p99 | max | timed out |',
        '|---|---|---|---|---|---|---|',
        ...ways.map((way, i) => row(way.label, measured[i]!.latencies, measured[i]!.timeouts)),
        row(
          'both',
          all,
          measured.reduce((sum, m) => sum + m.timeouts, 0),
        ),
      ].join('\n'),
    );
  } finally {
    await heard.stop();
  }
}

async function main(): Promise<void> {
  const base = await benchDatabase(CUSTOMERS);
  try {
    await withDemoCopy(base, 'gw_bench_propagation', measure);
  } finally {
    await base.stop();
  }
}

runBench(main);
