/** The three stages of a chunked pass. */
export interface ChunkStages<Chunk, Written> {
  /** The chunk after `previous` (the first one when null), or null when the pass is done. */
  read(previous: Chunk | null): Promise<Chunk | null>;
  /** Writes a chunk to the destination system. */
  write(chunk: Chunk): Promise<Written>;
  /**
   * Records what was written (couplings, watermark); runs only after the chunk's write. It may do
   * its work while the previous chunk's commit is still under way, but must not commit before
   * `previous` has settled, and must fail without committing when `previous` fails.
   */
  commit(chunk: Chunk, written: Written, previous: Promise<void>): Promise<void>;
}

/** Lets a promise run unobserved for a while: its failure is reported when it is awaited, never as an unhandled rejection. */
function inFlight<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Runs a chunked pass with its stages overlapped, so that each system's database and this process
 * work at the same time: the next chunk is read while the current one is written, and up to two
 * chunks' commits are under way while the next one is written. Commits finish in chunk order,
 * each after its own write (see ChunkStages.commit); when a stage fails, the stages in flight are
 * waited for before the failure is thrown.
 */
export async function runChunkPipeline<Chunk, Written>(stages: ChunkStages<Chunk, Written>): Promise<void> {
  let reading = inFlight(stages.read(null));
  let lastCommit: Promise<void> = Promise.resolve();
  let commitBefore: Promise<void> = Promise.resolve();
  try {
    for (let chunk = await reading; chunk !== null; chunk = await reading) {
      reading = inFlight(stages.read(chunk));
      const written = await stages.write(chunk);
      // At most two commits in flight: the one before the last must be done.
      await commitBefore;
      commitBefore = lastCommit;
      lastCommit = inFlight(stages.commit(chunk, written, lastCommit));
    }
    await lastCommit;
  } finally {
    await Promise.allSettled([reading, commitBefore, lastCommit]);
  }
}
