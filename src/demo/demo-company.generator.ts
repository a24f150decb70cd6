import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Stores } from '../db/data-sources';
import { Catalog, ITEM_BATCH_SIZE, itemCount } from './catalog';
import type { ChunkContext } from './chunk-context';
import { Coupler } from './couplings';
import { buildCustomerChunk, CUSTOMER_CHUNK_SIZE } from './customer-chunk';
import { DemoNumbers } from './demo-numbers';
import { type DemoSummary, DemoTally } from './demo-summary';
import { DemoIds, DemoRandom, DemoStream } from './random-company';
import { buildReferenceData } from './reference-data';
import { buildSalesTeam } from './sales-team';
import { StoreBatch } from './store-batch';

export type { DemoSummary } from './demo-summary';
export { isDemoSeeded } from './demo-seeded';
export { DemoSyncCase } from './demo-summary';

export const DEFAULT_DEMO_SEED = 1;
/** Faker seeds its Mersenne Twister with 32-bit words. */
export const MAX_DEMO_SEED = 2 ** 32 - 1;
const PROGRESS_INTERVAL_MS = 2_000;

export interface DemoCompanyOptions {
  /** ERP customers to create; everything else scales with it. */
  readonly customers: number;
  /** The same seed gives the same rows, keys and timestamps. */
  readonly seed?: number;
  readonly onProgress?: (message: string) => void;
}

/** One unit of work: the rows of each store, each written in its own transaction. */
class StoreBatches {
  readonly erp = new StoreBatch('erp');
  readonly crm = new StoreBatch('crm');
  readonly integration = new StoreBatch('integration');
  readonly coupler: Coupler;

  constructor(ids: DemoIds, tally: DemoTally) {
    this.coupler = new Coupler(ids, this.integration, tally);
  }

  async write(stores: Stores, tally: DemoTally): Promise<void> {
    await Promise.all([this.erp.write(stores.erp, tally), this.crm.write(stores.crm, tally), this.integration.write(stores.integration, tally)]);
  }
}

/**
 * Writes one unit of work while the next is being generated: PostgreSQL inserts on its own cores
 * while Node builds rows. At most one write is in flight, so memory holds two chunks at most.
 */
class WritePipeline {
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly stores: Stores,
    private readonly tally: DemoTally,
  ) {}

  async submit(batch: StoreBatches, onWritten: () => void = () => {}): Promise<void> {
    await this.inFlight;
    this.inFlight = batch.write(this.stores, this.tally).then(onWritten);
    // Handled when drained or at the next submit; without this a failure while generating would crash the process.
    this.inFlight.catch(() => {});
  }

  drain(): Promise<void> {
    return this.inFlight;
  }
}

/**
 * Generates a realistic company on both sides and the couplings the gateway would have after
 * synchronising it for a while: reference data first (kept in memory), then the catalogue and the
 * customers in chunks, so memory stays flat however many customers are asked for.
 */
export async function seedDemoCompany(stores: Stores, options: DemoCompanyOptions): Promise<DemoSummary> {
  const { customers } = options;
  if (!Number.isSafeInteger(customers) || customers < 1) throw new RangeError(`customers must be a positive integer, got ${customers}`);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > MAX_DEMO_SEED) throw new RangeError(`seed must be an integer from 0 to ${MAX_DEMO_SEED}, got ${seed}`);
  const progress = options.onProgress ?? (() => {});
  const tally = new DemoTally();
  const ids = new DemoIds(seed);
  const random = new DemoRandom(seed);
  const numbers = new DemoNumbers(customers);

  random.reseed(DemoStream.REFERENCE);
  const reference = new StoreBatches(ids, tally);
  const team = buildSalesTeam(random, ids, customers, reference.erp, reference.crm, reference.coupler);
  const referenceData = buildReferenceData({ random, ids, team, ...batchWriters(reference) });
  const catalog = new Catalog({ random, ids, numbers, team, reference: referenceData, customers });
  catalog.buildResources(batchWriters(reference));
  await reference.write(stores, tally);
  progress('Demo company: sales team, currencies, units, terms, price groups and resources written');

  const writes = new WritePipeline(stores, tally);
  const items = itemCount(customers);
  for (let first = 0; first < items; first += ITEM_BATCH_SIZE) {
    random.reseed(DemoStream.CATALOG, first / ITEM_BATCH_SIZE);
    const batch = new StoreBatches(ids, tally);
    catalog.buildItems(first, Math.min(ITEM_BATCH_SIZE, items - first), batchWriters(batch));
    await writes.submit(batch);
  }
  await writes.drain();
  progress(`Demo company: ${items} items with products and prices written`);

  const started = Date.now();
  let reportedAt = started;
  for (let first = 0; first < customers; first += CUSTOMER_CHUNK_SIZE) {
    random.reseed(DemoStream.CUSTOMERS, first / CUSTOMER_CHUNK_SIZE);
    const batch = new StoreBatches(ids, tally);
    const ctx: ChunkContext = { random, ids, numbers, customers, team, reference: referenceData, catalog, ...batchWriters(batch) };
    const count = Math.min(CUSTOMER_CHUNK_SIZE, customers - first);
    for (const _pause of buildCustomerChunk(ctx, first, count)) await yieldToEventLoop();
    const done = first + count;
    await writes.submit(batch, () => {
      const now = Date.now();
      if (now - reportedAt < PROGRESS_INTERVAL_MS && done < customers) return;
      reportedAt = now;
      const rate = Math.round(done / Math.max(0.001, (now - started) / 1000));
      progress(`Demo company: ${done}/${customers} customers (${Math.round((done / customers) * 100)} %, ${rate}/s)`);
    });
  }
  await writes.drain();
  // Fresh statistics, so the first queries on a bulk-loaded database get sensible plans.
  await Promise.all([stores.erp.query('ANALYZE'), stores.crm.query('ANALYZE'), stores.integration.query('ANALYZE')]);
  return tally.summary(seed, customers);
}

function batchWriters(batch: StoreBatches): Pick<ChunkContext, 'erp' | 'crm' | 'coupler'> & { integration: StoreBatch } {
  return { erp: batch.erp, crm: batch.crm, integration: batch.integration, coupler: batch.coupler };
}
