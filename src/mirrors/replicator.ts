import type { PostgresSystemConnector } from '../connectors/postgres-system.connector';
import type { DomainRecord, Table } from '../connectors/system-connector';
import type { MirrorBook, MirroredVersion, MirrorPosition } from './mirror-book';
import type { Product, ProductChanges } from './product';
import { fromProductRow, type ProductTable } from './product-table';
import type { TableTurns } from './table-turns';

export interface ReplicatorOptions {
  /** Modified-by of a change the product does not attribute (Business Central's API names no user). */
  readonly unattributedModifier: string;
  readonly onError: (error: unknown, table: string) => void;
  /** The product refused the table's feed position; the pass reads the feed from the start. */
  readonly onStalePosition?: (table: string, error: unknown) => void;
}

/**
 * Fills a mirror from its product's change feed: the initial load, then the changes since the
 * position the last pass reached (Dataverse delta links, Business Central's lastModifiedDateTime).
 * A version the mirror holds already (the answer to the gateway's own write) or an older one is
 * passed over, so the gateway's writes do not come back as someone else's changes. Each table's
 * position moves on after its pages are in the mirror.
 */
export class Replicator {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** Tables a notification asked to read that wait for their pass. */
  private readonly nudged = new Set<string>();

  constructor(
    private readonly mirror: PostgresSystemConnector,
    private readonly product: Product,
    private readonly book: MirrorBook,
    private readonly tables: readonly ProductTable[],
    private readonly options: ReplicatorOptions,
    private readonly turns: TableTurns,
  ) {}

  /** One pass over every table; returns how many records it wrote into the mirror or deleted from it. */
  catchUp(): Promise<number> {
    return this.serially(async () => {
      let applied = 0;
      for (const map of this.tables) applied += await this.pass(map);
      return applied;
    });
  }

  /** Passes every `intervalMs` until stopped; a failed pass is reported and the next one retries from the last position. */
  start(intervalMs: number): void {
    const tick = () => {
      this.timer = null;
      this.running = Promise.all(this.tables.map((map) => this.passReporting(map))).then(() => {
        if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
      });
    };
    this.stopped = false;
    tick();
  }

  /** Reads the feed of the table mirroring `entitySet` now, as a webhook notification asks; a pass already waiting covers it. */
  nudge(entitySet: string): void {
    const map = this.tables.find((candidate) => candidate.entitySet === entitySet);
    if (!map || this.nudged.has(map.table) || this.stopped) return;
    this.nudged.add(map.table);
    void this.passReporting(map, () => this.nudged.delete(map.table));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.queue;
  }

  private passReporting(map: ProductTable, starting?: () => void): Promise<void> {
    return this.serially(async () => {
      starting?.();
      try {
        await this.pass(map);
      } catch (error) {
        this.options.onError(error, map.table);
      }
    });
  }

  /** Passes run one at a time, so that a table's position only moves forward. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  positions(): Promise<MirrorPosition[]> {
    return this.book.positions();
  }

  private async pass(map: ProductTable): Promise<number> {
    const table = this.mirror.table(map.table);
    const started = new Date();
    const { position } = await this.book.position(map.table);
    let reached: string | null = null;
    let applied = 0;
    try {
      for await (const page of this.product.changes(map, position, () => this.book.productIds(map.table))) {
        applied += await this.turns.take(map.table, () => this.apply(table, map, page));
        reached = page.position ?? reached;
      }
    } catch (error) {
      if (position === null || !this.product.isStalePosition(error)) throw error;
      this.options.onStalePosition?.(map.table, error);
      await this.book.forgetPosition(map.table);
      return applied + (await this.pass(map));
    }
    await this.book.advance(map.table, reached, started, applied);
    return applied;
  }

  private async apply(table: Table, map: ProductTable, page: ProductChanges): Promise<number> {
    const held = await this.book.versionsByProductId(
      map.table,
      page.upserted.map((version) => version.productId),
    );
    const fresh = page.upserted.filter((version) => {
      const mine = held.get(version.productId);
      return !mine || (mine.etag !== version.etag && version.modifiedAt >= mine.productModifiedAt);
    });
    const keys = fresh.map((version) => held.get(version.productId)?.key ?? version.productId);
    const existing = new Map((await this.mirror.getByKeys(table, keys)).map((record) => [this.mirror.keyOf(table, record), record]));
    const records: DomainRecord[] = fresh.map((version, index) => ({
      ...fromProductRow(table, map, version.row, existing.get(keys[index]!) ?? this.mirror.blankRecord(table, keys[index]!), this.product.lowerCaseFields),
      [table.keyField]: keys[index],
      [table.modifiedAtField]: version.modifiedAt,
      [table.modifiedByField]: version.modifiedBy ?? this.options.unattributedModifier,
    }));
    const versions: MirroredVersion[] = fresh.map((version, index) => ({
      key: keys[index]!,
      productId: version.productId,
      etag: version.etag,
      productModifiedAt: version.modifiedAt,
    }));
    const gone = await this.book.versionsByProductId(map.table, page.deleted);
    const deletedKeys = page.deleted.map((productId) => gone.get(productId)?.key ?? productId);
    if (records.length > 0) await this.mirror.writeStamped([{ table, records }], (manager) => this.book.record(manager, map.table, versions));
    // A deletion the mirror has made already (the gateway's own) is in the feed too: only those it still held count.
    let removed = 0;
    if (deletedKeys.length > 0) {
      removed = await this.mirror.delete(table, deletedKeys);
      await this.mirror.writeStamped([], (manager) => this.book.forget(manager, map.table, deletedKeys));
    }
    return records.length + removed;
  }
}
