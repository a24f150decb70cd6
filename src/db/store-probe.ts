import { Pool } from 'pg';
import type { StoreName } from './data-sources';

/**
 * One connection per store kept apart from the stores' pools, for readiness probes: a probe
 * neither waits behind requests for a pooled connection nor takes one from them. A connection the
 * server closed (a restart) is dropped by its pool and made again at the next probe.
 */
export class StoreProbes {
  private readonly pools: Record<StoreName, Pool>;

  constructor(urls: Readonly<Record<StoreName, string>>, timeoutMs: number) {
    const pool = (store: StoreName) => {
      const created = new Pool({
        connectionString: urls[store],
        max: 1,
        application_name: `erp-crm-gateway:probe:${store}`,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
        idleTimeoutMillis: 60_000,
      });
      // An idle probe connection lost to a restart: the next probe reports it and reconnects.
      created.on('error', () => {});
      return created;
    };
    this.pools = { erp: pool('erp'), crm: pool('crm'), integration: pool('integration') };
  }

  /** Resolves once the store answers `SELECT 1`; rejects when it cannot be reached or does not answer in time. */
  async answer(store: StoreName): Promise<void> {
    await this.pools[store].query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((pool) => pool.end().catch(() => {})));
  }
}
