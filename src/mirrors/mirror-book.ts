import type { DataSource, EntityManager } from 'typeorm';
import type { SystemName } from '../connectors/system-name';

/** The version of a record the mirror holds, as the product knows it. */
export interface MirroredVersion {
  readonly key: string;
  readonly productId: string;
  readonly etag: string | null;
  readonly productModifiedAt: Date;
}

/** How far a mirror's table has caught up with the product. */
export interface MirrorPosition {
  readonly table: string;
  /** The product's feed position (a delta link, a time), null before the initial load ends. */
  readonly position: string | null;
  /** Every change the product made before this is in the mirror; null until the initial load ends. */
  readonly caughtUpAt: Date | null;
  readonly recordsApplied: number;
}

type Row = { key: string; product_id: string; etag: string | null; product_modified_at: Date };

function toVersion(row: Row): MirroredVersion {
  return { key: row.key, productId: row.product_id, etag: row.etag, productModifiedAt: row.product_modified_at };
}

/** The mirror's bookkeeping tables (`{erp,crm}.mirror_record`, `mirror_position`), written in the transactions that write the records. */
export class MirrorBook {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: SystemName,
  ) {}

  /** The versions the mirror holds of these records, by our key. */
  versionsByKey(table: string, keys: readonly string[]): Promise<Map<string, MirroredVersion>> {
    return this.versions(table, 'key', keys);
  }

  /** The versions the mirror holds of these records, by the product's id. */
  versionsByProductId(table: string, productIds: readonly string[]): Promise<Map<string, MirroredVersion>> {
    return this.versions(table, 'product_id', productIds);
  }

  private async versions(table: string, by: 'key' | 'product_id', ids: readonly string[]): Promise<Map<string, MirroredVersion>> {
    if (ids.length === 0) return new Map();
    const rows: Row[] = await this.dataSource.query(
      `SELECT key, product_id, etag, product_modified_at FROM "${this.schema}"."mirror_record" WHERE table_name = $1 AND ${by} = ANY($2::uuid[])`,
      [table, [...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row[by], toVersion(row)]));
  }

  async productIds(table: string): Promise<Set<string>> {
    const rows: { product_id: string }[] = await this.dataSource.query(`SELECT product_id FROM "${this.schema}"."mirror_record" WHERE table_name = $1`, [table]);
    return new Set(rows.map((row) => row.product_id));
  }

  async record(manager: EntityManager, table: string, versions: readonly MirroredVersion[]): Promise<void> {
    if (versions.length === 0) return;
    await manager.query(
      `INSERT INTO "${this.schema}"."mirror_record" (table_name, key, product_id, etag, product_modified_at)
       SELECT $1, v.key, v.product_id, v.etag, v.product_modified_at FROM jsonb_to_recordset($2::jsonb) AS v(key uuid, product_id uuid, etag text, product_modified_at timestamptz)
       ON CONFLICT (table_name, key) DO UPDATE SET product_id = EXCLUDED.product_id, etag = EXCLUDED.etag, product_modified_at = EXCLUDED.product_modified_at`,
      [table, JSON.stringify(versions.map((v) => ({ key: v.key, product_id: v.productId, etag: v.etag, product_modified_at: v.productModifiedAt.toISOString() })))],
    );
  }

  async forget(manager: EntityManager, table: string, keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await manager.query(`DELETE FROM "${this.schema}"."mirror_record" WHERE table_name = $1 AND key = ANY($2::uuid[])`, [table, [...keys]]);
  }

  async position(table: string): Promise<MirrorPosition> {
    const [row]: { position: string | null; caught_up_at: Date | null; records_applied: string }[] = await this.dataSource.query(
      `SELECT position, caught_up_at, records_applied FROM "${this.schema}"."mirror_position" WHERE table_name = $1`,
      [table],
    );
    return { table, position: row?.position ?? null, caughtUpAt: row?.caught_up_at ?? null, recordsApplied: Number(row?.records_applied ?? 0) };
  }

  async positions(): Promise<MirrorPosition[]> {
    const rows: { table_name: string; position: string | null; caught_up_at: Date | null; records_applied: string }[] = await this.dataSource.query(
      `SELECT table_name, position, caught_up_at, records_applied FROM "${this.schema}"."mirror_position" ORDER BY table_name`,
    );
    return rows.map((row) => ({ table: row.table_name, position: row.position, caughtUpAt: row.caught_up_at, recordsApplied: Number(row.records_applied) }));
  }

  /** Drops a table's feed position the product refused: the next read starts from the beginning. */
  async forgetPosition(table: string): Promise<void> {
    await this.dataSource.query(`UPDATE "${this.schema}"."mirror_position" SET position = NULL WHERE table_name = $1`, [table]);
  }

  /** Moves a table's feed position on; `caughtUpAt` only when the pass read the feed to its end. */
  async advance(table: string, position: string | null, caughtUpAt: Date | null, applied: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "${this.schema}"."mirror_position" (table_name, position, caught_up_at, records_applied) VALUES ($1, $2, $3, $4)
       ON CONFLICT (table_name) DO UPDATE SET position = COALESCE(EXCLUDED.position, mirror_position.position),
         caught_up_at = COALESCE(EXCLUDED.caught_up_at, mirror_position.caught_up_at), records_applied = mirror_position.records_applied + EXCLUDED.records_applied`,
      [table, position, caughtUpAt, applied],
    );
  }
}
