import type { DataSource, EntityManager } from 'typeorm';
import type { SystemName } from '../connectors/system-connector';
import type { BulkStatement } from '../db/bulk-insert';
import type { DuplicateCandidate } from './duplicate-candidates';

/** A record a sync held instead of creating its counterpart, with the candidates it may duplicate. */
export interface HeldRecord {
  /** The system the held record is in (its counterpart would have been created in the other). */
  readonly side: SystemName;
  readonly key: string;
  readonly candidates: readonly DuplicateCandidate[];
}

export interface QueuedDuplicate extends HeldRecord {
  readonly id: string;
  readonly mappingName: string;
  readonly heldAt: Date;
  readonly jobId: string | null;
}

interface Row {
  id: string;
  mapping_name: string;
  side: SystemName;
  record_key: string;
  candidates: DuplicateCandidate[];
  held_at: Date;
  job_id: string | null;
}

const COLUMNS = 'd.id, d.mapping_name, d.side, d.record_key, d.candidates, d.held_at, d.job_id';

/** A queued record coupled since (by an operator, a match, another run) no longer waits for review; one unique-key probe per side. */
const STILL_UNCOUPLED = `NOT EXISTS (SELECT 1 FROM integration.integration_record r WHERE d.side = 'erp' AND r.mapping_name = d.mapping_name AND r.erp_id = d.record_key AND r.crm_id IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM integration.integration_record r WHERE d.side = 'crm' AND r.mapping_name = d.mapping_name AND r.crm_id = d.record_key AND r.erp_id IS NOT NULL)`;

const queued = (row: Row): QueuedDuplicate => ({
  id: row.id,
  mappingName: row.mapping_name,
  side: row.side,
  key: row.record_key,
  candidates: row.candidates,
  heldAt: row.held_at,
  jobId: row.job_id,
});

/**
 * The duplicate review's state in the integration store, and the only code that reads or writes
 * it: the queue of held records (integration.possible_duplicate) and the pairs an operator said
 * are different records (integration.duplicate_dismissal, never held again).
 */
export class DuplicateQueue {
  constructor(private readonly integration: DataSource) {}

  /**
   * The statement that queues a chunk's held records, run in the chunk's transaction. A record held
   * again gets its new candidates. A record whose candidate is itself queued with it as a candidate
   * (the other side of the same pair, held by the other pass) is not queued twice. Held-at is kept
   * to the millisecond, as a cursor carries it.
   */
  holdStatement(mappingName: string, jobId: string | null, held: readonly HeldRecord[]): BulkStatement | null {
    if (held.length === 0) return null;
    return {
      sql: `INSERT INTO integration.possible_duplicate (id, mapping_name, side, record_key, candidate_keys, candidates, job_id, held_at)
            SELECT gen_random_uuid(), $1::varchar, h.side, h.key, h.keys, h.candidates, $2::uuid, date_trunc('milliseconds', now())
              FROM (SELECT h.side, h.key, h.candidates, ARRAY(SELECT (c ->> 'key')::uuid FROM jsonb_array_elements(h.candidates) c) AS keys
                      FROM jsonb_to_recordset($3::jsonb) AS h(side varchar, key uuid, candidates jsonb)) h
             WHERE NOT EXISTS (SELECT 1 FROM integration.possible_duplicate m
                                WHERE m.mapping_name = $1::varchar AND m.side <> h.side AND m.record_key = ANY(h.keys) AND h.key = ANY(m.candidate_keys))
            ON CONFLICT (mapping_name, side, record_key) DO UPDATE SET candidate_keys = EXCLUDED.candidate_keys, candidates = EXCLUDED.candidates, job_id = EXCLUDED.job_id`,
      parameters: [mappingName, jobId, JSON.stringify(held)],
    };
  }

  /** The candidates an operator dismissed for each of `keys` (records of `side`). */
  async dismissed(mappingName: string, side: SystemName, keys: readonly string[]): Promise<Map<string, Set<string>>> {
    const [own, other] = side === 'erp' ? ['erp_id', 'crm_id'] : ['crm_id', 'erp_id'];
    const rows: Array<{ own: string; other: string }> = await this.integration.query(
      `SELECT ${own} AS own, ${other} AS other FROM integration.duplicate_dismissal WHERE mapping_name = $1 AND ${own} = ANY($2::uuid[])`,
      [mappingName, keys],
    );
    const found = new Map<string, Set<string>>();
    for (const row of rows) found.set(row.own, (found.get(row.own) ?? new Set()).add(row.other));
    return found;
  }

  /** Held records of a mapping still uncoupled, in the order they were held, after the position (held at, id). */
  async page(mappingName: string, first: number, after: { heldAt: string; id: string } | null): Promise<QueuedDuplicate[]> {
    const parameters: unknown[] = [mappingName, first];
    let position = '';
    if (after) {
      parameters.push(after.heldAt, after.id);
      position = ' AND (d.held_at, d.id) > ($3::timestamptz, $4::uuid)';
    }
    const rows: Row[] = await this.integration.query(
      `SELECT ${COLUMNS} FROM integration.possible_duplicate d
        WHERE d.mapping_name = $1${position} AND ${STILL_UNCOUPLED}
        ORDER BY d.held_at, d.id LIMIT $2`,
      parameters,
    );
    return rows.map(queued);
  }

  async count(mappingName: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.integration.query(
      `SELECT count(*)::int AS n FROM integration.possible_duplicate d WHERE d.mapping_name = $1 AND ${STILL_UNCOUPLED}`,
      [mappingName],
    );
    return row!.n;
  }

  /** A held record still uncoupled, locked for its resolution when `manager` is in a transaction. */
  async find(manager: EntityManager, id: string, lock = false): Promise<QueuedDuplicate | null> {
    const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM integration.possible_duplicate d WHERE d.id = $1 AND ${STILL_UNCOUPLED}${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? queued(rows[0]) : null;
  }

  /** Records that `held` is not the same record as `candidateKeys`, and takes it off the queue. */
  async dismiss(manager: EntityManager, held: QueuedDuplicate, candidateKeys: readonly string[], by: string): Promise<void> {
    const [erp, crm] = held.side === 'erp' ? [candidateKeys.map(() => held.key), candidateKeys] : [candidateKeys, candidateKeys.map(() => held.key)];
    await manager.query(
      `INSERT INTO integration.duplicate_dismissal (mapping_name, erp_id, crm_id, dismissed_at, dismissed_by)
       SELECT $1, p.erp, p.crm, now(), $4 FROM unnest($2::uuid[], $3::uuid[]) AS p(erp, crm) ON CONFLICT DO NOTHING`,
      [held.mappingName, erp, crm, by.slice(0, 100)],
    );
    await this.remove(manager, held.mappingName, [{ side: held.side, key: held.key }]);
  }

  /** Takes records off the queue (coupled, or created as asked). */
  async remove(manager: EntityManager, mappingName: string, records: ReadonlyArray<{ side: SystemName; key: string }>): Promise<void> {
    await manager.query(
      `DELETE FROM integration.possible_duplicate d USING unnest($2::varchar[], $3::uuid[]) AS r(side, key)
        WHERE d.mapping_name = $1 AND d.side = r.side AND d.record_key = r.key`,
      [mappingName, records.map((record) => record.side), records.map((record) => record.key)],
    );
  }
}
