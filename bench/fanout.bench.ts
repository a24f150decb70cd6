import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { startGateway } from '../src/server/gateway';
import { buildGatewaySchema } from '../src/server/schema';
import { FullSyncProgressDocument, type FullSyncProgressSubscription } from '../test/generated/operations';
import { within } from '../test/support/subscriptions';
import { benchDatabase, latencies, loadAverage, machine, runBench, startWorkerProcess, withDemoCopy, writeResults, type DemoCopy } from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_FANOUT_CUSTOMERS ?? 10_000);
const SUBSCRIBERS = (process.env.BENCH_FANOUT_SUBSCRIBERS ?? '1,100,1000').split(',').map(Number);
/** Small chunks, so that every job publishes at the rate limit (ten progress events a second). */
const CHUNK = Number(process.env.BENCH_FANOUT_CHUNK ?? 100);
const RUN_TIMEOUT_MS = 30 * 60_000;
const CLIENTS_ROLE = 'clients';

/** What the parent tells the clients' process. */
interface Subscribe {
  readonly wsUrl: string;
  readonly token: string;
  readonly runId: string;
  readonly subscribers: number;
}

/** What the clients' process reports once every subscription has ended. */
interface Received {
  /** Receipt time minus the event's `at` (stamped where it was published), per event per subscriber. */
  readonly delays: number[];
  readonly events: number[];
  /** Subscriptions that ended with their socket closed before the run's final event. */
  readonly dropped: number;
  readonly lastAt: number;
  readonly lastReceivedAt: number;
}

/** One subscriber; `subscribed` resolves with its snapshot (or its end, if it never got one). */
function follow(client: Client, runId: string) {
  const delays: number[] = [];
  const last = { at: 0, receivedAt: 0 };
  let subscribed: () => void = () => {};
  const first = new Promise<void>((resolve) => (subscribed = resolve));
  const finished = (async () => {
    try {
      for await (const result of client.iterate<FullSyncProgressSubscription>({ query: print(FullSyncProgressDocument), variables: { runId } })) {
        const receivedAt = Date.now();
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        const event = result.data!.fullSyncProgress;
        // A snapshot is built for the subscriber when it joins, not published.
        if (event.kind === 'SNAPSHOT') {
          subscribed();
          continue;
        }
        Object.assign(last, { at: Date.parse(event.at), receivedAt });
        delays.push(receivedAt - last.at);
      }
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === undefined) throw error;
      return false;
    } finally {
      subscribed();
    }
  })();
  return { delays, last, subscribed: first, finished };
}

/**
 * The subscribers, in a process of their own as they would be on other machines: the gateway's
 * process then spends its time on fan-out alone, and answers to its keep-alive pings are not
 * held up behind the clients' backlog.
 */
async function clientsProcess(): Promise<void> {
  const [{ wsUrl, token, runId, subscribers }] = (await once(process, 'message')) as [Subscribe];
  const clients = Array.from({ length: subscribers }, () =>
    createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => {} }),
  );
  const followers = clients.map((client) => follow(client, runId));
  await Promise.all(followers.map((f) => f.subscribed));
  process.send!('subscribed');
  const completed = await Promise.all(followers.map((f) => f.finished));
  const received: Received = {
    delays: followers.flatMap((f) => f.delays),
    events: followers.map((f) => f.delays.length),
    dropped: completed.filter((ok) => !ok).length,
    lastAt: Math.max(...followers.map((f) => f.last.at)),
    lastReceivedAt: Math.max(...followers.map((f) => f.last.receivedAt)),
  };
  // A report of many events takes a while to write; disconnecting before it is written would lose it.
  await new Promise<void>((resolve, reject) => process.send!(received, undefined, {}, (error) => (error ? reject(error) : resolve())));
  await Promise.all(clients.map((client) => client.dispose()));
  if (process.connected) process.disconnect();
}

interface Measured {
  readonly subscribers: number;
  readonly connectSeconds: number;
  /** From the worker's start to the last event's publication, and to its arrival at the last subscriber. */
  readonly publishedSeconds: number;
  readonly deliveredSeconds: number;
  readonly eventsMin: number;
  readonly eventsMax: number;
  readonly deliveries: number;
  readonly dropped: number;
  readonly delays: Record<string, string>;
  readonly load: string;
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return Promise.race([
    once(child, 'message').then(([message]) => message as T),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`the clients' process exited (${code})`))),
  ]);
}

/**
 * `subscribers` graphql-ws clients on fullSyncProgress of one full synchronisation of a fresh
 * copy of the demo company. The run is started before the worker, so every client has joined
 * (and got its snapshot) before the first event is published, and all see the same events.
 */
async function measure({ url, services }: DemoCopy, subscribers: number): Promise<Measured> {
  const gateway = await startGateway({
    schema: await buildGatewaySchema(),
    services,
    port: 0,
    host: '127.0.0.1',
    production: true,
    limits: { wsMaxConnectionsPerClient: Math.max(...SUBSCRIBERS) + 10 },
  });
  const clients = fork(__filename, [CLIENTS_ROLE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let received: Received | undefined;
  try {
    const run = await services.fullSync.start('bench');
    const connecting = Date.now();
    clients.send({ wsUrl: gateway.wsUrl, token: services.tokens.issue('bench', [Role.VIEWER]), runId: run.id, subscribers } satisfies Subscribe);
    await within(nextMessage(clients), 120_000, `${subscribers} subscriptions`);
    const connectSeconds = (Date.now() - connecting) / 1000;

    const worker = await startWorkerProcess(url, { SYNC_CHUNK_SIZE: String(CHUNK) });
    const started = Date.now();
    try {
      received = await within(nextMessage<Received>(clients), RUN_TIMEOUT_MS, 'the run to finish');
    } finally {
      await worker.stop();
    }
    return {
      subscribers,
      connectSeconds,
      publishedSeconds: (received.lastAt - started) / 1000,
      deliveredSeconds: (received.lastReceivedAt - started) / 1000,
      eventsMin: Math.min(...received.events),
      eventsMax: Math.max(...received.events),
      deliveries: received.delays.length,
      dropped: received.dropped,
      delays: latencies(received.delays, [50, 90, 99]),
      load: loadAverage(),
    };
  } finally {
    // Once it has reported it ends by itself; before that its sockets would keep it alive.
    if (!received) clients.kill();
    if (clients.exitCode === null && clients.signalCode === null) await once(clients, 'exit');
    await gateway.stop();
  }
}

async function main(): Promise<void> {
  const base = await benchDatabase(CUSTOMERS);
  const loadBefore = loadAverage();
  const results: Measured[] = [];
  try {
    for (const subscribers of SUBSCRIBERS) {
      console.log(`${subscribers} subscriber(s)…`);
      results.push(await withDemoCopy(base, 'gw_bench_fanout', (copy) => measure(copy, subscribers)));
    }
  } finally {
    await base.stop();
  }
  await writeResults(
    'fanout',
    [
      '## Fan-out: fullSyncProgress to many graphql-ws subscribers',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:fanout\` on ${machine()}, PostgreSQL on the same machine (shared: load average ${loadBefore} at the start).`,
      `A full synchronisation of a fresh copy of the ${CUSTOMERS.toLocaleString('en')}-customer demo company, run by a stand-alone worker process (\`SYNC_CHUNK_SIZE=${CHUNK}\`, so every job publishes at the ten-events-a-second limit).`,
      'The gateway (`startGateway`, production mode) in the benchmark process; all graphql-ws clients in one other process. Every client subscribes to the run before the worker starts, so all receive the same events.',
      "Delay = receipt time in the client − the event's `at` (stamped by the publisher in the worker process just before its NOTIFY), for every event (snapshots excluded) at every subscriber.",
      "Published over: from the worker's start to the last event's `at`; delivered over: to its receipt by the last subscriber; deliveries/s: deliveries ÷ delivered over. Dropped: subscriptions whose socket closed before the final event.",
      '',
      '| subscribers | events per subscriber | deliveries | p50 | p90 | p99 | published over | delivered over | deliveries/s | dropped | connecting all | load average after |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.subscribers.toLocaleString('en')} | ${r.eventsMin === r.eventsMax ? r.eventsMin : `${r.eventsMin}–${r.eventsMax}`} | ${r.deliveries.toLocaleString('en')} | ${r.delays.p50} | ${r.delays.p90} | ${r.delays.p99} | ${r.publishedSeconds.toFixed(0)} s | ${r.deliveredSeconds.toFixed(0)} s | ${Math.round(r.deliveries / r.deliveredSeconds).toLocaleString('en')} | ${r.dropped} | ${r.connectSeconds.toFixed(1)} s | ${r.load} |`,
      ),
    ].join('\n'),
  );
}

if (process.argv[2] === CLIENTS_ROLE) runBench(clientsProcess);
else runBench(main);
