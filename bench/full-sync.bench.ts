import 'reflect-metadata';
import { loadConfig } from '../src/config/config';
import type { Stores } from '../src/db/data-sources';
import {
  benchDatabase,
  loadAverage,
  machine,
  rawAccountUpsertRate,
  runBench,
  startWorkerProcess,
  withDemoCopy,
  writeResults,
  type BenchDatabase,
  type DemoCopy,
} from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_FULLSYNC_CUSTOMERS ?? 1_000_000);
const POLL_MS = 2_000;
const LOG_EVERY_MS = 30_000;

interface JobRow {
  readonly mapping: string;
  readonly direction: string;
  readonly status: string;
  readonly message: string | null;
  readonly processed: number;
  readonly inserted: number;
  readonly modified: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly failed: number;
  readonly seconds: number;
}

const count = (n: number) => n.toLocaleString('en');
const rate = (records: number, seconds: number) => (seconds > 0 ? count(Math.round(records / seconds)) : '–');

/** Waits for the run to leave RUNNING, telling how far it got now and then. */
async function finished(stores: Stores, runId: string): Promise<string> {
  let logged = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const [run] = await stores.integration.query(
      `SELECT r.status, (SELECT coalesce(sum(processed), 0)::int FROM integration.sync_job WHERE run_id = r.id) AS processed,
              (SELECT string_agg(mapping_name || ' ' || direction, ', ') FROM integration.sync_job WHERE run_id = r.id AND status = 'RUNNING') AS running
         FROM integration.full_sync_run r WHERE r.id = $1`,
      [runId],
    );
    if (run.status !== 'RUNNING') return run.status as string;
    if (Date.now() - logged >= LOG_EVERY_MS) {
      logged = Date.now();
      console.log(`${count(run.processed)} records read; running: ${run.running ?? '–'}`);
    }
  }
}

/**
 * `npm run bench:fullsync`: a full synchronisation (every mapping, in dependency order) of a fresh
 * copy of the demo company, run by one stand-alone worker process with the default settings; then
 * the raw unnest upsert rate of the CRM accounts on the same database, for the ratio.
 */
async function measure({ url, stores, services }: DemoCopy, base: BenchDatabase, loadBefore: string): Promise<void> {
  const [sizes] = await stores.erp.query(
    `SELECT (SELECT count(*) FROM erp.customer)::int AS customers, (SELECT count(*) FROM erp.contact)::int AS contacts,
            (SELECT count(*) FROM crm.account)::int AS accounts, (SELECT count(*) FROM crm.contact)::int AS "crmContacts"`,
  );
  const worker = await startWorkerProcess(url);
  let runId: string;
  let status: string;
  let peakRssMb: number;
  try {
    runId = (await services.fullSync.start('bench')).id;
    status = await finished(stores, runId);
    peakRssMb = await worker.peakRssMb();
  } finally {
    await worker.stop();
  }
  const [{ seconds: runSeconds }] = await stores.integration.query(
    `SELECT extract(epoch FROM finished_at - started_at)::float AS seconds FROM integration.full_sync_run WHERE id = $1`,
    [runId],
  );
  const jobs: JobRow[] = await stores.integration.query(
    `SELECT mapping_name AS mapping, direction, status, message, processed, inserted, modified, unchanged, skipped, failed,
            coalesce(extract(epoch FROM finished_at - started_at), 0)::float AS seconds
       FROM integration.sync_job WHERE run_id = $1 ORDER BY started_at, mapping_name, direction`,
    [runId],
  );
  // A job's "failed" counts conflicts too (changed on both sides, policy NONE); the couplings tell which.
  const failures: Array<{ mapping: string; result: string; error: string; n: number }> = await stores.integration.query(
    `SELECT mapping_name AS mapping, last_result AS result, regexp_replace(left(last_error, 200), '\\s+', ' ', 'g') AS error, count(*)::int AS n
       FROM integration.integration_record WHERE last_result IN ('FAILED', 'CONFLICT') GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 10`,
  );
  const loadAfterRun = loadAverage();
  const raw = await rawAccountUpsertRate(stores.crm);
  const rawRate = raw.rows / raw.seconds;
  const processed = jobs.reduce((sum, job) => sum + job.processed, 0);
  const jobSeconds = jobs.reduce((sum, job) => sum + job.seconds, 0);
  const customerJob = jobs.find((job) => job.mapping === 'CUSTOMER' && job.direction === 'TO_CRM');
  const percentOfRaw = (records: number, seconds: number) => `${((records / seconds / rawRate) * 100).toFixed(1)} %`;
  const defaults = loadConfig({}).worker;

  await writeResults(
    'fullsync',
    [
      '## Full synchronisation of the demo company, every mapping, in a worker process',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:fullsync\` (BENCH_FULLSYNC_CUSTOMERS=${CUSTOMERS}) on ${machine()}, PostgreSQL on the same machine`,
      `(shared with other engineers' tests: load average ${loadBefore} at the start, ${loadAfterRun} when the run ended). ERP, CRM and integration store in one database.`,
      `A fresh copy of the demo company: ${count(sizes.customers)} ERP customers and ${count(sizes.contacts)} contacts; ${count(sizes.accounts)} CRM accounts and ${count(sizes.crmContacts)} contacts`,
      "(the demo's CRM holds uncoupled twins of ERP customers, so Full Sync Review recommends coupling first; the run here goes ahead and reports what it did), plus items, prices, opportunities and invoices.",
      `\`fullSync.start\`, then one stand-alone worker process (\`npm run worker\`, default settings: chunks of ${count(defaults.syncChunkSize)}) runs every job; finished when the run's status leaves RUNNING.`,
      "Per job: its counters and seconds from the job row (started → finished); records/s = records read ÷ seconds. Overall: records read by all jobs ÷ the run's duration (waits between jobs included).",
      `Raw: afterwards, every CRM account written again into a twin table with one \`INSERT … SELECT FROM unnest(…) ON CONFLICT\` per 5,000 rows through pg (${count(raw.rows)} rows), on the same database in the same run.`,
      '',
      `**Run: ${status}, ${count(processed)} records read in ${runSeconds.toFixed(0)} s = ${rate(processed, runSeconds)} records/s (jobs running ${jobSeconds.toFixed(0)} s of it, one at a time; the rest is hand-over between dependent jobs); raw unnest upsert ${rate(raw.rows, raw.seconds)} rows/s;`,
      `overall ÷ raw = ${percentOfRaw(processed, runSeconds)}${customerJob ? `, CUSTOMER to CRM ÷ raw = ${percentOfRaw(customerJob.processed, customerJob.seconds)}` : ''}; worker peak RSS (VmHWM) ${peakRssMb.toFixed(0)} MiB.**`,
      '',
      '| mapping | direction | status | read | inserted | modified | unchanged | skipped | failed | seconds | records/s |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...jobs.map(
        (job) =>
          `| ${job.mapping} | ${job.direction} | ${job.status} | ${count(job.processed)} | ${count(job.inserted)} | ${count(job.modified)} | ${count(job.unchanged)} | ${count(job.skipped)} | ${count(job.failed)} | ${job.seconds.toFixed(1)} | ${rate(job.processed, job.seconds)} |`,
      ),
      ...jobs.filter((job) => job.message).map((job) => `\n${job.mapping} ${job.direction}: ${job.message}`),
      ...(failures.length > 0
        ? [
            '',
            'What the "failed" counters are (couplings left FAILED or CONFLICT, most frequent first):',
            '',
            ...failures.map((f) => `- ${f.mapping}, ${f.result}, ${count(f.n)}: ${f.error}`),
          ]
        : []),
      ...(base.seedSeconds !== null ? ['', `Generating and indexing the demo company took ${base.seedSeconds.toFixed(0)} s.`] : []),
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const base = await benchDatabase(CUSTOMERS);
  const loadBefore = loadAverage();
  try {
    await withDemoCopy(base, `gw_bench_fullsync_${CUSTOMERS}`, (copy) => measure(copy, base, loadBefore));
  } finally {
    await base.stop();
  }
}

runBench(main);
