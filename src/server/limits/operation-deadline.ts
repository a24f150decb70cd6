import { AsyncLocalStorage } from 'node:async_hooks';
import { Client } from 'pg';
import type { DataSource, EntitySubscriberInterface } from 'typeorm';
import type { AfterQueryEvent, BeforeQueryEvent } from 'typeorm/subscriber/event/QueryEvent';
import { storeUrl } from '../../db/data-sources';
import type { StatementGuard } from '../../db/statement-guard';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-codes';

type OperationKind = 'query' | 'mutation' | 'subscription';

/**
 * One operation's lifetime: a deadline, and the statements it has running on each store (by
 * server process id) so that stopping it cancels them. Once finished it stops nothing: work it
 * started in the background (a queued job woken in this process) is not its to stop.
 */
export class OperationScope {
  kind: OperationKind | null = null;
  private stopReason: string | null = null;
  private finished = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Map<DataSource, Map<number, number>>();

  constructor(private readonly cancel: (store: DataSource, pids: readonly number[]) => void) {}

  /** Why the operation was stopped; null while it may go on. */
  get stopped(): string | null {
    return this.finished ? null : this.stopReason;
  }

  /** (Re)starts the deadline, counted from now. */
  expireIn(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop(`The operation ran past its deadline of ${ms} ms and was stopped`), ms);
    this.timer.unref();
  }

  stop(reason: string): void {
    if (this.finished || this.stopReason) return;
    this.stopReason = reason;
    for (const [store, pids] of this.running) if (pids.size > 0) this.cancel(store, [...pids.keys()]);
  }

  finish(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.running.clear();
  }

  started(store: DataSource, pid: number): void {
    if (this.finished) return;
    let pids = this.running.get(store);
    if (!pids) this.running.set(store, (pids = new Map()));
    pids.set(pid, (pids.get(pid) ?? 0) + 1);
  }

  ended(store: DataSource, pid: number): void {
    const pids = this.running.get(store);
    const count = pids?.get(pid) ?? 0;
    if (count <= 1) pids?.delete(pid);
    else pids!.set(pid, count - 1);
  }
}

const ENDS_TRANSACTION = /^\s*(ROLLBACK|RELEASE)\b/i;

const backendPid = (event: BeforeQueryEvent | AfterQueryEvent): number | undefined =>
  (event.queryRunner as unknown as { databaseConnection?: { processID?: number } }).databaseConnection?.processID;

/**
 * Execution deadlines: each operation runs in an OperationScope (AsyncLocalStorage), every
 * statement a store sends on its behalf is noted (TypeORM's through a subscriber, compiled reads'
 * through statementStarting), and stopping the scope cancels those still running
 * (pg_cancel_backend, over a connection of its own since the pool may be full of them) and refuses
 * any further statement with DEADLINE_EXCEEDED, so the resolvers wind down at once.
 */
export class OperationDeadlines implements StatementGuard {
  private readonly storage = new AsyncLocalStorage<OperationScope>();

  constructor(stores: readonly DataSource[]) {
    for (const store of new Set(stores)) store.subscribers.push(this.watch(store));
  }

  begin(timeoutMs: number): OperationScope {
    const scope = new OperationScope((store, pids) => this.cancel(store, pids));
    scope.expireIn(timeoutMs);
    return scope;
  }

  run<T>(scope: OperationScope, work: () => T): T {
    return this.storage.run(scope, work);
  }

  current(): OperationScope | undefined {
    return this.storage.getStore();
  }

  statementStarting(store: DataSource, pid: number): () => void {
    const scope = this.enter(store, pid, true);
    return scope ? () => scope.ended(store, pid) : () => {};
  }

  /** Notes a statement of the current operation, or refuses it (when it may) once the operation is stopped. */
  private enter(store: DataSource, pid: number | undefined, refusable: boolean): OperationScope | undefined {
    const scope = this.storage.getStore();
    if (!scope) return undefined;
    const stopped = scope.stopped;
    if (stopped && refusable) throw new DomainError(ErrorCode.DEADLINE_EXCEEDED, stopped);
    if (pid !== undefined) scope.started(store, pid);
    return scope;
  }

  private watch(store: DataSource): EntitySubscriberInterface {
    return {
      // A rollback still runs: the connection must go back to the pool out of its transaction.
      beforeQuery: (event) => void this.enter(store, backendPid(event), !ENDS_TRANSACTION.test(event.query)),
      afterQuery: (event) => {
        const pid = backendPid(event);
        if (pid !== undefined) this.storage.getStore()?.ended(store, pid);
      },
    };
  }

  private cancel(store: DataSource, pids: readonly number[]): void {
    // Outside the scope: its own statements would be refused.
    this.storage.exit(() => {
      const client = new Client({ connectionString: storeUrl(store), connectionTimeoutMillis: 5_000 });
      // A connection lost between the answer and the close (a database shutting down) is an error event, not a rejection.
      client.on('error', () => undefined);
      client
        .connect()
        .then(() => client.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [pids]))
        .catch((error: unknown) => console.warn(`Could not cancel the statements of a stopped operation: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => void client.end().catch(() => {}));
    });
  }
}
