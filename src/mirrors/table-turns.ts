/**
 * One turn at a time per mirrored table, within the process: the gateway's write (product, then
 * mirror) and the replicator's applying of a feed page do not interleave, so the replicator never
 * applies the gateway's own new version before the write has put it in the mirror as the
 * gateway's. (Workers in other processes are not covered: there the replicator may write the
 * version first, as the product's user, and the write then puts it right.)
 */
export class TableTurns {
  private readonly tails = new Map<string, Promise<unknown>>();

  async take<T>(table: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(table) ?? Promise.resolve();
    const result = previous.then(work);
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
}
