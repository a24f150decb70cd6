import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { schemaFingerprint } from './checksum';
import { OperationFuzzer, type Caller, type FuzzOperation, type FuzzPools } from './operation-fuzzer';
import { graphqlRequest } from './raw-requests';
import type { TestGateway } from './test-gateway';

/** What a response must never carry: SQL, driver errors, stack frames, file paths. */
const LEAKS =
  /\bSELECT\b|\bINSERT INTO\b|\bUPDATE "|\bWHERE\b|QueryFailedError|duplicate key|violates|relation "|syntax error at|invalid input syntax|node_modules|\/work\/|\.[jt]s:\d+|\bat [\w.<>$]+ \(|stacktrace|ECONNREFUSED/;

/** How long a subscription is given to answer before the fuzzer moves on (one waiting for a run sends nothing). */
const SUBSCRIPTION_WAIT_MS = 150;

export interface FuzzFailure {
  readonly operation: FuzzOperation;
  readonly problem: string;
  readonly response: string;
}

export interface FuzzReport {
  readonly seed: number;
  operations: number;
  readonly byKind: Record<string, number>;
  readonly codes: Record<string, number>;
  refusedMutations: number;
  readonly failures: FuzzFailure[];
}

const SCHEMAS = ['erp', 'crm', 'integration'];

/** Ids, cursors and names of every kind the gateway issues, read as an administrator. */
async function collectPools(gateway: TestGateway): Promise<FuzzPools> {
  const lists = ['customers', 'contacts', 'items', 'resources', 'invoices', 'salespeople', 'currencies', 'unitsOfMeasure', 'priceLists', 'opportunities', 'salesOrders'];
  const query = `{ ${lists.map((list) => `${list}(first: 3) { edges { cursor node { id erp { systemId } crm { id } } } }`).join(' ')}
    integrationTableMappings { name fieldMappings { id } } syncErrors(first: 3) { edges { node { id } } } }`;
  const response = await graphqlRequest(gateway.url, query, {}, gateway.tokens.admin);
  const text = JSON.stringify(response.body.data ?? {});
  const values = (key: string) => [...text.matchAll(new RegExp(`"${key}":"([^"]+)"`, 'g'))].map((match) => match[1]!);
  const ids = [...new Set([...values('id'), ...values('systemId')])];
  const names = [...new Set(values('name').filter((name) => /^[A-Z][A-Z-]+$/.test(name)))];
  // Another type's id for a record that exists: right shape, wrong type.
  const crossTyped = ids.slice(0, 20).flatMap((id) => {
    const decoded = Buffer.from(id, 'base64url').toString('utf8');
    const [type, system, key] = decoded.split(':');
    return type && system && key ? [Buffer.from(`${type === 'Customer' ? 'Item' : 'Customer'}:${system}:${key}`).toString('base64url')] : [];
  });
  return { ids: [...ids, ...crossTyped], cursors: values('cursor'), names: [...names, 'NO-SUCH-MAPPING'] };
}

function tokenOf(gateway: TestGateway, caller: Caller): string | null {
  return caller === 'anonymous' ? null : gateway.tokens[caller];
}

type AnsweredError = { readonly extensions?: { readonly [key: string]: unknown } };

/** What a subscription answered, and the GraphQL errors among it. */
async function subscribeOnce(gateway: TestGateway, operation: FuzzOperation): Promise<{ text: string; errors: AnsweredError[] }> {
  const token = tokenOf(gateway, operation.caller);
  const seen: unknown[] = [];
  const errors: AnsweredError[] = [];
  await new Promise<void>((resolve) => {
    const client = createClient({
      url: gateway.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
      on: { closed: (event) => seen.push({ closed: (event as { code: number }).code }) },
    });
    const done = () => {
      clearTimeout(timer);
      // A socket refused at connection_init rejects its disposal too.
      Promise.resolve(client.dispose()).catch(() => {});
      resolve();
    };
    const timer = setTimeout(done, SUBSCRIPTION_WAIT_MS);
    client.subscribe(
      { query: operation.query, variables: operation.variables },
      {
        next: (value) => (seen.push(value), errors.push(...(value.errors ?? [])), done()),
        // An array of GraphQL errors, or the socket's close event.
        error: (error) => (seen.push(error), Array.isArray(error) && errors.push(...(error as AnsweredError[])), done()),
        complete: done,
      },
    );
  });
  return { text: JSON.stringify(seen), errors };
}

/** Whether every root field of a mutation failed (root fields run in turn: an earlier one may have succeeded). */
function refused(body: { data?: unknown; errors?: unknown[] }, rootKeys: readonly string[]): boolean {
  const errors = (body.errors ?? []) as Array<{ path?: unknown[] }>;
  if (errors.length === 0) return false;
  if (errors.some((error) => !error.path)) return true;
  const failed = new Set(errors.map((error) => error.path![0]));
  return rootKeys.every((key) => failed.has(key));
}

/** How long the fuzzer waits for runs, propagation and queued jobs that earlier operations started. */
const QUIET_WAIT_MS = 20_000;

/** Readings of every store taken this far apart, and how many alike in a row, make the gateway quiet. */
const QUIET_READINGS = 3;
const QUIET_INTERVAL_MS = 100;

/**
 * A fingerprint of every store once nothing is writing: no sync job running and several readings
 * alike (propagation of an earlier edit, and the gateway's own timers such as abandoned-job checks,
 * write now and then). The test gateway runs no worker, so queued jobs stay queued.
 */
async function quietFingerprint(gateway: TestGateway): Promise<string> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  let previous = '';
  let alike = 0;
  for (;;) {
    const [{ running }] = await gateway.stores.integration.query("SELECT count(*)::int AS running FROM integration.sync_job WHERE status = 'RUNNING'");
    const fingerprint = await schemaFingerprint(gateway.stores.integration, SCHEMAS);
    alike = running === 0 && fingerprint === previous ? alike + 1 : 0;
    if (alike === QUIET_READINGS - 1) return fingerprint;
    if (Date.now() > deadline) throw new Error(`the gateway was still writing ${QUIET_WAIT_MS} ms after the last operation (${running} jobs running)`);
    previous = fingerprint;
    await new Promise((resolve) => setTimeout(resolve, QUIET_INTERVAL_MS));
  }
}

/**
 * Runs `runs` generated operations against the gateway and reports every operation that got
 * INTERNAL_SERVER_ERROR or an error without a code, leaked internals, or changed a store although it was refused.
 */
export async function runFuzz(gateway: TestGateway, schema: GraphQLSchema, runs: number, seed: number): Promise<FuzzReport> {
  const fuzzer = new OperationFuzzer(schema, await collectPools(gateway));
  const operations = fc.sample(fuzzer.operations(), { numRuns: runs, seed });
  const report: FuzzReport = { seed, operations: 0, byKind: {}, codes: {}, refusedMutations: 0, failures: [] };
  for (const operation of operations) {
    report.operations += 1;
    report.byKind[operation.kind] = (report.byKind[operation.kind] ?? 0) + 1;
    let text: string;
    let body: { data?: unknown; errors?: unknown[] } = {};
    let errors: AnsweredError[];
    // Taken once the work earlier operations started is done: a refused mutation must change nothing itself.
    const before = operation.kind === 'mutation' ? await quietFingerprint(gateway) : null;
    if (operation.kind === 'subscription') {
      ({ text, errors } = await subscribeOnce(gateway, operation));
    } else {
      const response = await graphqlRequest(gateway.url, operation.query, operation.variables, tokenOf(gateway, operation.caller));
      text = response.text;
      body = response.body;
      errors = (body.errors ?? []) as AnsweredError[];
    }
    for (const match of text.matchAll(/"extensions":\{[^}]*"code":"([A-Z_]+)"/g)) report.codes[match[1]!] = (report.codes[match[1]!] ?? 0) + 1;
    const fail = (problem: string) => report.failures.push({ operation, problem, response: text.slice(0, 2_000) });
    if (text.includes('"INTERNAL_SERVER_ERROR"')) fail('INTERNAL_SERVER_ERROR');
    if (errors.some((error) => typeof error.extensions?.code !== 'string')) fail('an error without a code');
    const leak = LEAKS.exec(text);
    if (leak) fail(`leak: ${leak[0]}`);
    if (operation.kind === 'mutation') {
      if (refused(body, operation.rootKeys)) {
        report.refusedMutations += 1;
        if ((await schemaFingerprint(gateway.stores.integration, SCHEMAS)) !== before) fail('a refused mutation changed a store');
      }
    }
  }
  return report;
}

/** A failure as a person reads it, with what replays the run. */
export function describeFailures(report: FuzzReport, replay: string): string {
  const byProblem = new Map<string, FuzzFailure[]>();
  for (const failure of report.failures)
    byProblem.set(`${failure.problem} in ${failure.operation.field}`, [...(byProblem.get(`${failure.problem} in ${failure.operation.field}`) ?? []), failure]);
  const lines = [`${report.failures.length} failures in ${report.operations} operations (seed ${report.seed}; replay: ${replay})`];
  for (const [problem, failures] of byProblem) {
    const first = failures[0]!;
    lines.push(
      `- ${problem} ×${failures.length}: as ${first.operation.caller}: ${first.operation.query.slice(0, 600)} variables ${JSON.stringify(first.operation.variables).slice(0, 400)}\n  → ${first.response.slice(0, 800)}`,
    );
  }
  return lines.join('\n');
}
