import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { logger } from '../observability/logger';

/**
 * The advisory-lock class of the mirrors' table turns. The two-key form keeps these locks apart
 * from the one-key locks of synchronisation runs and from the integration records' class.
 */
const TURNS_LOCK_CLASS = 1_000_020;
/** How long a turn waits before asking again for a table another process holds. */
const RETRY_MS = 20;

/**
 * One turn at a time per mirrored table, across every process on the mirror: the gateway's write
 * (product, then mirror) and a replicator's applying of a feed page do not interleave, so no
 * replicator applies the gateway's own new version before the write has put it in the mirror as the
 * gateway's. Within a process turns queue in order; across processes a PostgreSQL advisory lock per
 * table, held on a session of its own, keeps them apart. The session only ever tries the lock
 * (`pg_try_advisory_lock`, never a waiting call), so one table waited for never holds back another
 * table's turn or an unlock. Were the session lost, PostgreSQL would drop its locks; the turn under
 * way goes on, and the next one opens a new session.
 */
export class TableTurns {
  private readonly tails = new Map<string, Promise<unknown>>();
  private session: Promise<Client> | null = null;
  private closed = false;

  /** `url`: the mirror's database; `schema` names the mirror (erp, crm) in the lock's key. */
  constructor(
    private readonly url: string,
    private readonly schema: string,
  ) {}

  async take<T>(table: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(table) ?? Promise.resolve();
    const result = previous.then(() => this.holding(table, work));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(table, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(table) === tail) this.tails.delete(table);
    }
  }

  /** Ends the lock session once the turns under way are over; after it, turns are taken within the process only (the gateway is stopping). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.tails.values());
    const session = this.session;
    this.session = null;
    await session?.then((client) => client.end()).catch(() => {});
  }

  private async holding<T>(table: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.schema}.${table}`;
    const locked = await this.lock(key);
    try {
      return await work();
    } finally {
      if (locked) await this.unlock(key);
    }
  }

  private async lock(key: string): Promise<boolean> {
    for (;;) {
      if (this.closed) return false;
      const client = await this.connected();
      const { rows } = await client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [TURNS_LOCK_CLASS, key]);
      if (rows[0].locked) return true;
      await sleep(RETRY_MS);
    }
  }

  private async unlock(key: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    await session.then((client) => client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [TURNS_LOCK_CLASS, key])).catch(() => {});
  }

  private connected(): Promise<Client> {
    if (this.session) return this.session;
    const client = new Client({ connectionString: this.url, application_name: `erp-crm-gateway:${this.schema}-mirror-turns` });
    const forget = (error?: Error) => {
      if (error) logger.warn({ err: error, mirror: this.schema }, 'the mirror turns’ lock session was lost; the next turn opens another');
      if (this.session === opened) this.session = null;
    };
    client.on('error', forget);
    client.on('end', () => forget());
    const opened = client.connect().then(() => client);
    opened.catch(forget);
    this.session = opened;
    return opened;
  }
}
