/**
 * Dispatches a request's DataLoader batches in waves: a batch waits until no other batch of the
 * request is still running, so loads that become known as different queries finish land in one
 * statement per loader instead of one per finishing query. That is what keeps a page's statement
 * count independent of timing and of its size. A batch function must not load through another
 * loader of the same request: it would wait for a wave that waits for it.
 */
export class BatchWaves {
  private inFlight = 0;
  private waiting: Array<() => void> = [];
  private flushScheduled = false;
  private barriers: Array<() => void> = [];

  readonly schedule = (dispatch: () => void): void => {
    this.waiting.push(dispatch);
    this.scheduleFlush();
  };

  /**
   * Resolves when the next wave's loads have come back, without a statement of its own: a path
   * that has nothing to load at some step waits here, so it stays in step with paths that do.
   */
  barrier(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(() => this.barriers.push(resolve));
      this.scheduleFlush();
    });
  }

  /** Wraps a batch function so the waves know while it runs. */
  track<K, V>(batch: (keys: readonly K[]) => Promise<V[]>): (keys: readonly K[]) => Promise<V[]> {
    return async (keys) => {
      this.inFlight += 1;
      try {
        return await batch(keys);
      } finally {
        this.inFlight -= 1;
        if (this.inFlight === 0) this.endWave();
      }
    };
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate runs after every pending promise continuation, so a whole wave has queued.
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.inFlight > 0 || this.waiting.length === 0) return;
      const wave = this.waiting;
      this.waiting = [];
      for (const dispatch of wave) dispatch();
      if (this.inFlight === 0) this.endWave();
    });
  }

  private endWave(): void {
    const barriers = this.barriers;
    this.barriers = [];
    for (const resolve of barriers) resolve();
    this.scheduleFlush();
  }
}
