import type { EntityManager } from 'typeorm';

/**
 * The advisory-lock class of a mapping's integration records. The two-key form keeps these locks
 * apart from the one-key locks a synchronisation run holds for the mapping (src/sync/mapping-lock.ts).
 */
const RECORDS_LOCK_CLASS = 1_000_010;

/** How long an index write waits for the coupling writes under way (see lockMappingRecords). */
const INDEX_LOCK_TIMEOUT = '250ms';

/**
 * Who writes a mapping's integration records: the read model's index writes (upserts of the
 * records each system's change feed reports), or coupling writes (the sync engine's chunks,
 * coupling, uncoupling, transfers).
 */
export type RecordWriter = 'index' | 'coupling';

/**
 * Taken first in every transaction that writes integration records of a mapping, and held until it
 * ends. An index write upserts a batch of rows in the change feed's order while a coupling write
 * inserts, replaces and deletes rows of the same records in its own order: without this lock each
 * could hold a row the other waits for (PostgreSQL then aborts one with "deadlock detected").
 * Index writes take it exclusively and coupling writes shared, so the two never interleave, while
 * the overlapping chunk commits of one synchronisation run still go on side by side. A waiting
 * index write also holds back coupling writes that come after it, so it gets its turn as soon as
 * the ones under way commit.
 */
export async function lockMappingRecords(manager: EntityManager, mappingName: string, writer: RecordWriter): Promise<void> {
  if (writer === 'coupling') {
    await manager.query(`SELECT pg_advisory_xact_lock_shared(${RECORDS_LOCK_CLASS}, hashtext($1))`, [mappingName]);
    return;
  }
  // A chunk commit that holds the lock may be waiting for an earlier one, which may be waiting for
  // a connection of the pool this transaction holds: an index write gives up after a moment
  // (SQLSTATE 55P03) and is tried again, so that wait cannot last.
  await manager.query(`SELECT set_config('lock_timeout', '${INDEX_LOCK_TIMEOUT}', true), pg_advisory_xact_lock(${RECORDS_LOCK_CLASS}, hashtext($1))`, [mappingName]);
}
