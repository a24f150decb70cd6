import { Pool, type PoolClient } from 'pg';
import type { SqlCondition } from './odata-filter';

/** A row of an emulated product: its id, a version that grows with every write, and its columns. */
export interface StoredRecord {
  readonly id: string;
  readonly version: number;
  readonly modifiedAt: Date;
  readonly data: Record<string, unknown>;
}

export interface Tombstone {
  readonly id: string;
  readonly version: number;
}

type Queryable = Pool | PoolClient;

/** A second record of the same entity set holds this natural key (a customer number, a currency code). */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
}

function toRecord(row: { id: string; version: string; modified_at: Date; data: Record<string, unknown> }): StoredRecord {
  return { id: row.id, version: Number(row.version), modifiedAt: row.modified_at, data: row.data };
}

/**
 * An emulator's rows in a PostgreSQL schema of its own: one table for every entity set (rows are
 * JSON documents keyed by entity set and GUID), a version sequence that orders every write (ETags,
 * change tracking) and tombstones of deleted rows.
 */
export class RecordStore {
  private constructor(
    private readonly db: Queryable,
    private readonly schema: string,
    private readonly pool: Pool | null,
  ) {}

  static async open(databaseUrl: string, schema: string): Promise<RecordStore> {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new TypeError(`not a schema name: ${schema}`);
    const pool = new Pool({ connectionString: databaseUrl, max: 8 });
    // An idle connection closed under the pool (a restart, the database dropped) is already let go, and the
    // next query opens another; unheard, the error event would end the process the emulator runs in.
    pool.on('error', () => {});
    await pool.query(`
      CREATE SCHEMA IF NOT EXISTS ${schema};
      CREATE SEQUENCE IF NOT EXISTS ${schema}.version_seq;
      CREATE SEQUENCE IF NOT EXISTS ${schema}.number_seq START 10000;
      CREATE TABLE IF NOT EXISTS ${schema}.record (
        entity_set text NOT NULL, id uuid NOT NULL, natural_key text, version bigint NOT NULL,
        modified_at timestamptz NOT NULL, data jsonb NOT NULL, PRIMARY KEY (entity_set, id));
      CREATE UNIQUE INDEX IF NOT EXISTS record_natural_key ON ${schema}.record (entity_set, lower(natural_key)) WHERE natural_key IS NOT NULL;
      CREATE INDEX IF NOT EXISTS record_version ON ${schema}.record (entity_set, version);
      CREATE INDEX IF NOT EXISTS record_modified ON ${schema}.record (entity_set, modified_at, id);
      CREATE TABLE IF NOT EXISTS ${schema}.tombstone (
        entity_set text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, PRIMARY KEY (entity_set, version));`);
    return new RecordStore(pool, schema, pool);
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }

  /** Runs `work` in one transaction: everything it writes commits together or not at all. */
  async transaction<T>(work: (store: RecordStore) => Promise<T>): Promise<T> {
    if (!this.pool) return work(this);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new RecordStore(client, this.schema, null));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async get(entitySet: string, id: string): Promise<StoredRecord | null> {
    const { rows } = await this.db.query(`SELECT id, version, modified_at, data FROM ${this.schema}.record WHERE entity_set = $1 AND id = $2`, [entitySet, id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * A page after `after`, in id order, or in modified-at order (then id) when `byModified`: a
   * client that pages by modified-at sees a row changed meanwhile again at the end, not never.
   */
  async list(
    entitySet: string,
    options: { where: SqlCondition | null; after: { id: string; modifiedAt?: Date } | null; limit: number; byModified?: boolean; maxVersion?: number },
  ): Promise<StoredRecord[]> {
    const params: unknown[] = [entitySet];
    const clauses = ['entity_set = $1'];
    if (options.where) {
      clauses.push(options.where.sql(params.length + 1));
      params.push(...options.where.params);
    }
    if (options.after && options.byModified) {
      params.push(options.after.modifiedAt, options.after.id);
      clauses.push(`(modified_at, id) > ($${params.length - 1}, $${params.length})`);
    } else if (options.after) {
      params.push(options.after.id);
      clauses.push(`id > $${params.length}`);
    }
    if (options.maxVersion !== undefined) {
      params.push(options.maxVersion);
      clauses.push(`version <= $${params.length}`);
    }
    params.push(options.limit);
    const order = options.byModified ? 'modified_at, id' : 'id';
    const { rows } = await this.db.query(
      `SELECT id, version, modified_at, data FROM ${this.schema}.record WHERE ${clauses.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }

  async count(entitySet: string): Promise<number> {
    const { rows } = await this.db.query(`SELECT count(*)::int AS n FROM ${this.schema}.record WHERE entity_set = $1`, [entitySet]);
    return rows[0].n as number;
  }

  /** Rows written after `sinceVersion` up to `maxVersion`, in version order. */
  async changedSince(entitySet: string, sinceVersion: number, maxVersion: number, limit: number): Promise<StoredRecord[]> {
    const { rows } = await this.db.query(
      `SELECT id, version, modified_at, data FROM ${this.schema}.record
        WHERE entity_set = $1 AND version > $2 AND version <= $3 ORDER BY version LIMIT $4`,
      [entitySet, sinceVersion, maxVersion, limit],
    );
    return rows.map(toRecord);
  }

  /** Rows deleted after `sinceVersion` up to `maxVersion` and not written again since (a record re-created under its id is a change, not a deletion). */
  async deletedSince(entitySet: string, sinceVersion: number, maxVersion: number, limit: number): Promise<Tombstone[]> {
    const { rows } = await this.db.query(
      `SELECT t.id, t.version FROM ${this.schema}.tombstone t
        WHERE t.entity_set = $1 AND t.version > $2 AND t.version <= $3
          AND NOT EXISTS (SELECT 1 FROM ${this.schema}.record r WHERE r.entity_set = t.entity_set AND r.id = t.id AND r.version > t.version)
        ORDER BY t.version LIMIT $4`,
      [entitySet, sinceVersion, maxVersion, limit],
    );
    return rows.map((row) => ({ id: row.id as string, version: Number(row.version) }));
  }

  async currentVersion(): Promise<number> {
    const { rows } = await this.db.query(`SELECT last_value, is_called FROM ${this.schema}.version_seq`);
    return rows[0].is_called ? Number(rows[0].last_value) : 0;
  }

  /** The next number of the number series (BC gives a record one when the caller sends none). */
  async nextNumber(): Promise<number> {
    const { rows } = await this.db.query(`SELECT nextval('${this.schema}.number_seq') AS n`);
    return Number(rows[0].n);
  }

  /** Inserts or replaces the row; the natural key must stay unique within the entity set. */
  async put(entitySet: string, id: string, data: Record<string, unknown>, naturalKey: string | null): Promise<StoredRecord> {
    try {
      const { rows } = await this.db.query(
        `INSERT INTO ${this.schema}.record (entity_set, id, natural_key, version, modified_at, data)
         VALUES ($1, $2, $3, nextval('${this.schema}.version_seq'), clock_timestamp(), $4)
         ON CONFLICT (entity_set, id) DO UPDATE SET natural_key = EXCLUDED.natural_key, version = EXCLUDED.version,
           modified_at = EXCLUDED.modified_at, data = EXCLUDED.data
         RETURNING id, version, modified_at, data`,
        [entitySet, id, naturalKey, JSON.stringify(data)],
      );
      return toRecord(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new DuplicateKeyError(`${entitySet}: ${naturalKey} exists already`);
      throw error;
    }
  }

  async delete(entitySet: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(`DELETE FROM ${this.schema}.record WHERE entity_set = $1 AND id = $2`, [entitySet, id]);
    if (!rowCount) return false;
    await this.db.query(`INSERT INTO ${this.schema}.tombstone (entity_set, id, version) VALUES ($1, $2, nextval('${this.schema}.version_seq'))`, [entitySet, id]);
    return true;
  }

  /** Loads rows directly (demo and bench seeding), one statement per call; a row's modified-at is kept when given. */
  async bulkLoad(entitySet: string, rows: readonly { id: string; naturalKey: string | null; data: Record<string, unknown>; modifiedAt?: Date }[]): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.schema}.record (entity_set, id, natural_key, version, modified_at, data)
       SELECT $1, r.id, r.natural_key, nextval('${this.schema}.version_seq'), coalesce(r.modified_at, clock_timestamp()), r.data
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, natural_key text, data jsonb, modified_at timestamptz)`,
      [entitySet, JSON.stringify(rows.map((row) => ({ id: row.id, natural_key: row.naturalKey, data: row.data, modified_at: row.modifiedAt?.toISOString() ?? null })))],
    );
  }
}
