import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { getArgumentValues, parse, type OperationDefinitionNode } from 'graphql';
import { Client } from 'pg';
import { closeStores, openStores, type Stores } from '../src/db/data-sources';
import { CompiledResponsePlans } from '../src/server/compiled-response-plans';
import { OperationDeadlines } from '../src/server/limits/operation-deadline';
import { buildGatewaySchema } from '../src/server/schema';
import { CompiledReads } from '../src/unify/compiled/compiled-reads';
import { UnifiedListService, type PageArgs } from '../src/unify/unified-list.service';
import { databaseUrl } from '../test/support/database-server';
import { contact, customer, Generator, random, salesperson } from '../test/support/query-generator';
import { benchDatabase, loadAverage, machine, runBench, serverCpu, writeResults, type ServerCpu } from './bench-support';

/**
 * The peers' page (../shared/peers) as PostgreSQL runs it: the compiled text statement the gateway
 * runs for the peers' query, next to the peer D's hand-written statement, each prepared on a
 * connection of its own and run in turns; p25/p50 and the shared buffers EXPLAIN (ANALYZE, BUFFERS)
 * counts. `BENCH_PAGE_SAVE=file` keeps this build's statement and the digests of its answers to
 * generated lists; `BENCH_PAGE_BASELINE=file` runs such a saved statement too ("before") and
 * checks that this build answers every list byte for byte as that one did.
 */
const ROUNDS = Number(process.env.BENCH_PAGE_ROUNDS ?? 300);
/** Rounds run first and not counted: plans, caches. */
const WARM_UP = 10;
/** Generated lists whose answers must not change (their md5s are compared with the baseline's). */
const GENERATED = Number(process.env.BENCH_PAGE_GENERATED ?? 40);
const GENERATED_SEED = 7;

/** The peers' query for A (lib/queries.mjs, `queryA`). */
const PAGE_QUERY = `query CustomerPage {
  customers(first: 50, filter: { coupled: true }) {
    edges {
      node {
        erp { no name phoneNo salespersonCode modifiedAt }
        crm { name telephone1 modifiedAt }
        salesperson { name }
        currency { isoCode }
        contacts { name email }
      }
    }
  }
}`;

/** The peer D's statement, as the harness runs it (sql/unified-page.sql, comments left out). */
const PEER_D_SQL = `WITH page AS (
  SELECT cu.system_id, cu.no, cu.name, cu.phone_no, cu.salesperson_code, cu.currency_code, cu.modified_at, r.crm_id
    FROM erp.customer cu
    JOIN integration.integration_record r ON r.mapping_name = 'CUSTOMER' AND r.erp_id = cu.system_id AND r.crm_id IS NOT NULL
   ORDER BY cu.no
   LIMIT 50
), persons AS (
  SELECT page.no AS customer_no, person.no AS sort_key, 0 AS source, pr.crm_id,
         CASE WHEN k.id IS NOT NULL AND k.modified_at > person.modified_at THEN k.full_name ELSE person.name END AS name,
         CASE WHEN k.id IS NOT NULL AND k.modified_at > person.modified_at THEN k.email_address1 ELSE person.email END AS email
    FROM page
    JOIN erp.contact company ON company.customer_no = page.no
    JOIN erp.contact person ON person.company_no = company.no
    LEFT JOIN integration.integration_record pr ON pr.mapping_name = 'CONTACT' AND pr.erp_id = person.system_id AND pr.crm_id IS NOT NULL
    LEFT JOIN crm.contact k ON k.id = pr.crm_id
), contacts AS (
  SELECT customer_no, source, sort_key, name, email FROM persons
  UNION ALL
  SELECT page.no, 1, k.id::text, k.full_name, k.email_address1
    FROM page JOIN crm.contact k ON k.parent_customer_id = page.crm_id
   WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.customer_no = page.no AND p.crm_id = k.id)
), grouped AS (
  SELECT customer_no, json_agg(json_build_object('name', name, 'email', email) ORDER BY source, sort_key) AS list
    FROM contacts GROUP BY customer_no
)
SELECT coalesce(json_agg(json_build_object(
         'no', c.no, 'name', c.name, 'phoneNo', c.phone_no, 'salespersonCode', c.salesperson_code, 'modifiedAt', c.modified_at,
         'crm', CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('name', a.name, 'telephone1', a.telephone1, 'modifiedAt', a.modified_at) END,
         'salesperson', CASE WHEN sp.code IS NULL THEN NULL ELSE json_build_object('name', CASE WHEN su.id IS NULL THEN sp.name ELSE su.full_name END) END,
         'currency', CASE WHEN cur.code IS NULL THEN NULL ELSE json_build_object('isoCode', cur.iso_code) END,
         'contacts', coalesce(g.list, '[]'::json)
       ) ORDER BY c.no), '[]'::json)::text AS page
  FROM page c
  LEFT JOIN crm.account a ON a.id = c.crm_id
  LEFT JOIN erp.salesperson_purchaser sp ON sp.code = c.salesperson_code
  LEFT JOIN integration.integration_record spr ON spr.mapping_name = 'SALESPEOPLE' AND spr.erp_id = sp.system_id AND spr.crm_id IS NOT NULL
  LEFT JOIN crm.system_user su ON su.id = spr.crm_id
  LEFT JOIN erp.currency cur ON cur.code = c.currency_code
  LEFT JOIN grouped g ON g.customer_no = c.no`;

interface Contender {
  readonly label: string;
  readonly text: string;
  readonly client: Client;
  readonly times: number[];
  /** The server process running its statements. */
  readonly pid: number;
  answer?: string;
}

/** What a saved build leaves for a later run to compare with. */
interface Saved {
  readonly page: string;
  readonly answers: Readonly<Record<string, string>>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
/** A text statement's answer: its pieces joined as the gateway writes them (null: graphql-js answers). */
const joined = (rows: ReadonlyArray<Record<string, string | null>>) => (rows[0]!.piece === null ? null : rows.map((row) => row.piece).join(','));
const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

interface PeerCustomer {
  no?: string;
  name?: string;
  phoneNo?: string | null;
  salespersonCode?: string | null;
  modifiedAt?: string;
  crm: { name: string; telephone1: string | null; modifiedAt: string } | null;
  salesperson: { name: string | null } | null;
  currency: { isoCode: string | null } | null;
  contacts: Array<{ name: string | null; email: string | null }>;
}

/** A customer of either answer in one shape, as the harness compares them (contacts sorted: A does not order them as D does). */
function comparable(c: PeerCustomer) {
  return {
    no: c.no,
    name: c.name,
    phone: c.phoneNo ?? null,
    salespersonCode: c.salespersonCode ?? null,
    modifiedAt: iso(c.modifiedAt),
    crm: c.crm ? { name: c.crm.name, telephone: c.crm.telephone1 ?? null, modifiedAt: iso(c.crm.modifiedAt) } : null,
    salesperson: c.salesperson ? c.salesperson.name : null,
    currency: c.currency ? (c.currency.isoCode ?? null) : null,
    contacts: c.contacts.map((k) => ({ name: k.name ?? null, email: k.email ?? null })).sort((x, y) => `${x.name}\u0000${x.email}`.localeCompare(`${y.name}\u0000${y.email}`)),
  };
}

class Lists {
  private readonly reads: CompiledReads;

  constructor(
    stores: Stores,
    private readonly schema: Awaited<ReturnType<typeof buildGatewaySchema>>,
  ) {
    this.reads = new CompiledReads(stores, new UnifiedListService(stores.integration), new OperationDeadlines([stores.erp, stores.crm, stores.integration]));
  }

  /** What the gateway's read model does before it is ready: the to-one references resolved as the stores stand. */
  async resolveReferences(): Promise<void> {
    await this.reads.references.refreshStale();
  }

  /** The statement the gateway runs for a planned list document (literal arguments only), or null when it answers it through Apollo. */
  async statement(query: string): Promise<{ text: string; values: unknown[] } | null> {
    const document = parse(query);
    const plan = new CompiledResponsePlans(this.schema, this.reads).planOf(document, document.definitions[0] as OperationDefinitionNode);
    if (plan?.kind !== 'list') return null;
    const args = getArgumentValues(plan.definition, plan.field, {}) as unknown as PageArgs;
    const { statement, values } = await this.reads.listTextStatement(plan.selection, args, plan.shape);
    return { text: statement.text, values };
  }
}

/** Lists of customers, contacts and salespeople with random selections and filters (the differential tests' generator). */
function generatedQueries(): string[] {
  const generate = new Generator(random(GENERATED_SEED));
  const lists = [
    { field: 'customers', shape: customer },
    { field: 'contacts', shape: contact },
    { field: 'salespeople', shape: salesperson },
  ];
  return Array.from({ length: GENERATED }, (_, index) => {
    const { field, shape } = lists[index % lists.length]!;
    const first = generate.pick([1, 5, 20, 50]);
    return `query Generated${index} { ${field}(first: ${first}${generate.filter()}) { edges { cursor node { ${generate.selection(shape, 2)} } } pageInfo { hasNextPage endCursor } } }`;
  });
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'bench:page-statement' });
  await client.connect();
  return client;
}

/** Shared buffers (hit + read) the statement's execution touches. */
async function buffers(client: Client, text: string): Promise<number> {
  const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: Record<string, number> }> }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`);
  const plan = rows[0]!['QUERY PLAN'][0]!.Plan;
  return plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
}

async function databaseOf(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const base = await benchDatabase(Number(process.env.BENCH_PAGE_CUSTOMERS ?? 20_000));
  return databaseUrl(base.serverUrl, base.name);
}

async function main(): Promise<void> {
  const url = await databaseOf();
  const stores = await openStores({ erp: url, crm: url, integration: url }, { poolSize: 2 });
  const contenders: Contender[] = [];
  try {
    const lists = new Lists(stores, await buildGatewaySchema());
    await lists.resolveReferences();
    const page = await lists.statement(PAGE_QUERY);
    if (!page) throw new Error('the peers’ page is not planned: the gateway would answer it through Apollo');
    const baseline = process.env.BENCH_PAGE_BASELINE ? (JSON.parse(await readFile(process.env.BENCH_PAGE_BASELINE, 'utf8')) as Saved) : null;
    const texts: Array<[string, string]> = [['A', page.text]];
    if (baseline) texts.unshift(['A before', baseline.page]);
    texts.push(['D (peer)', PEER_D_SQL]);
    for (const [label, text] of texts) {
      const client = await connect(url);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      contenders.push({ label, text, client, times: [], pid: rows[0]!.pid });
    }
    const database = new URL(url).pathname.slice(1);
    let cpuStarted: ServerCpu | null = null;

    const started = loadAverage();
    for (let round = 0; round < ROUNDS; round += 1) {
      if (round === WARM_UP) cpuStarted = await serverCpu(stores.integration, database);
      // Each round starts with the next one, so none always runs right after another.
      for (let turn = 0; turn < contenders.length; turn += 1) {
        const contender = contenders[(round + turn) % contenders.length]!;
        const before = process.hrtime.bigint();
        const { rows } = await contender.client.query<Record<string, string>>({ name: `page_${md5(contender.text).slice(0, 16)}`, text: contender.text });
        if (round >= WARM_UP) contender.times.push(Number(process.hrtime.bigint() - before) / 1e6);
        contender.answer = ('piece' in rows[0]! ? joined(rows) : rows[0]!.page) ?? undefined;
      }
    }
    const cpuEnded = await serverCpu(stores.integration, database);
    const ended = loadAverage();
    const measured = [];
    for (const contender of contenders) {
      // The server's CPU per execution (from /proc, when it runs on this machine): steadier than the time on a busy machine.
      const cpu =
        cpuStarted && cpuEnded ? `${((((cpuEnded.get(contender.pid) ?? NaN) - (cpuStarted.get(contender.pid) ?? NaN)) * 1000) / contender.times.length).toFixed(2)}` : 'n/a';
      measured.push({ ...contender, cpu, buffers: await buffers(contender.client, contender.text) });
    }

    const problems: string[] = [];
    const a = contenders.find((contender) => contender.label === 'A')!;
    const d = contenders.find((contender) => contender.label === 'D (peer)')!;
    const aPage = (JSON.parse(a.answer!) as { edges: Array<{ node: PeerCustomer & { erp: Partial<PeerCustomer> } }> }).edges.map(({ node }) =>
      comparable({ ...node, ...node.erp }),
    );
    const dPage = (JSON.parse(d.answer!) as PeerCustomer[]).map(comparable);
    if (JSON.stringify(aPage) !== JSON.stringify(dPage)) problems.push('A and D answer different pages');
    const before = contenders.find((contender) => contender.label === 'A before');
    if (before && md5(before.answer!) !== md5(a.answer!)) problems.push('the page’s text differs from the baseline’s');

    // Generated lists: this build's answers, by md5, against the baseline's.
    const answers: Record<string, string> = {};
    for (const query of generatedQueries()) {
      const statement = await lists.statement(query);
      if (!statement) continue;
      const { rows } = await a.client.query<{ piece: string | null }>(statement.text, statement.values);
      answers[query] = md5(joined(rows) ?? 'null');
    }
    const changed = baseline ? Object.keys(answers).filter((query) => baseline.answers[query] !== undefined && baseline.answers[query] !== answers[query]) : [];
    for (const query of changed) problems.push(`a generated list answers otherwise than the baseline: ${query}`);
    const compared = baseline ? Object.keys(answers).filter((query) => baseline.answers[query] !== undefined).length : 0;
    if (process.env.BENCH_PAGE_SAVE) await writeFile(process.env.BENCH_PAGE_SAVE, JSON.stringify({ page: page.text, answers } satisfies Saved));

    const rows = measured.map(
      (m) =>
        `| ${m.label} | ${quantile(m.times, 0.25).toFixed(2)} | ${quantile(m.times, 0.5).toFixed(2)} | ${m.cpu} | ${m.buffers.toLocaleString('en')} | ${md5(m.answer!).slice(0, 12)} |`,
    );
    const summary = `Measured ${new Date().toISOString().slice(0, 16)}Z on ${machine()}, load average ${started} → ${ended}; ${aPage.length} customers, ${aPage.reduce((n, c) => n + c.contacts.length, 0)} contacts. Each statement prepared on a connection of its own, ${ROUNDS} rounds in turns, the first ${WARM_UP} dropped; times in ms (client side), server CPU per execution in ms from /proc, buffers: shared hit + read of one EXPLAIN (ANALYZE, BUFFERS).

| statement | p25 | p50 | server CPU | shared buffers | md5 of the answer |
|---|---|---|---|---|---|
${rows.join('\n')}

A and D ${problems.includes('A and D answer different pages') ? '**differ**' : 'describe the same customers'}; ${Object.keys(answers).length} generated lists answered${baseline ? `, ${compared} compared with the baseline, ${changed.length} changed` : ''}.`;
    await writeResults('page-statement', summary);
    if (problems.length) {
      console.error(problems.join('\n'));
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(contenders.map((contender) => contender.client.end()));
    await closeStores(stores);
  }
}

runBench(main);
