/** A product's documented per-user limits, which the client keeps below by construction. */
export interface BudgetLimits {
  readonly maxConcurrent: number;
  /** Requests started within any `windowMs`. */
  readonly maxRequests: number;
  readonly windowMs: number;
  /** Combined execution time within any `windowMs` (Dataverse); the server's clock, so a margin stays free. */
  readonly maxExecutionMs?: number;
  /**
   * Added to the window: the server counts a request when it arrives, a little after the client
   * starts it, so two starts `windowMs` apart can land closer together there.
   */
  readonly windowMarginMs?: number;
}

interface Waiter {
  readonly start: () => void;
  readonly retry: boolean;
}

export interface BudgetStats {
  readonly started: number;
  readonly maxInFlight: number;
  /** Most starts seen within one window. */
  readonly windowPeak: number;
  readonly pausedMs: number;
}

/**
 * The one gate every request of a connection passes: at most `maxConcurrent` in flight, at most
 * `maxRequests` started in any sliding window (a log of start times, not a fixed-interval
 * reservoir, which would allow twice the limit across a window boundary), and no start while the
 * server's `Retry-After` runs. After a refusal only one request is in flight until one succeeds,
 * and retried requests go first, so a request the server refused once is the next one it sees.
 */
export class RequestBudget {
  private readonly starts: number[] = [];
  private readonly executions: { end: number; ms: number }[] = [];
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private probing = false;
  private timer: NodeJS.Timeout | null = null;
  private counters = { started: 0, maxInFlight: 0, windowPeak: 0, pausedMs: 0 };

  constructor(readonly limits: BudgetLimits) {}

  /** Runs `work` once the limits allow; `retry` marks a request sent again, which goes first. */
  async run<T>(work: () => Promise<T>, options: { retry?: boolean } = {}): Promise<T> {
    await new Promise<void>((start) => {
      const waiter = { start, retry: options.retry ?? false };
      if (waiter.retry) this.queue.unshift(waiter);
      else this.queue.push(waiter);
      this.pump();
    });
    const began = Date.now();
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      this.executions.push({ end: Date.now(), ms: Date.now() - began });
      this.pump();
    }
  }

  /** The server refused a request and asked to wait: nothing starts before then. */
  refused(retryAfterMs: number): void {
    const until = Date.now() + retryAfterMs;
    if (until > this.pausedUntil) {
      this.counters.pausedMs += until - Math.max(this.pausedUntil, Date.now());
      this.pausedUntil = until;
    }
    this.probing = true;
  }

  /** A request was answered without refusal: full concurrency again. */
  accepted(): void {
    if (!this.probing) return;
    this.probing = false;
    this.pump();
  }

  stats(): BudgetStats {
    return { ...this.counters };
  }

  private window(): number {
    return this.limits.windowMs + (this.limits.windowMarginMs ?? 1_000);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const wait = this.waitMs(Date.now());
      if (wait === null) return; // a request in flight will pump again when it ends
      if (wait > 0) {
        this.wakeIn(wait);
        return;
      }
      const waiter = this.queue.shift()!;
      const now = Date.now();
      this.starts.push(now);
      this.inFlight += 1;
      this.counters.started += 1;
      this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.inFlight);
      this.counters.windowPeak = Math.max(this.counters.windowPeak, this.starts.length);
      waiter.start();
    }
  }

  /** 0 to start now, a delay to wait, or null to wait for a request in flight to end. */
  private waitMs(now: number): number | null {
    const window = this.window();
    while (this.starts.length > 0 && this.starts[0]! <= now - window) this.starts.shift();
    while (this.executions.length > 0 && this.executions[0]!.end <= now - window) this.executions.shift();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.inFlight >= (this.probing ? 1 : this.limits.maxConcurrent)) return null;
    if (this.starts.length >= this.limits.maxRequests) return this.starts[0]! + window - now;
    const maxExecution = this.limits.maxExecutionMs;
    if (maxExecution !== undefined && this.executions.reduce((sum, e) => sum + e.ms, 0) >= maxExecution) {
      return this.executions[0]!.end + window - now;
    }
    return 0;
  }

  private wakeIn(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.max(1, ms));
  }
}
