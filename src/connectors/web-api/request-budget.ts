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
  readonly start: (start: Start) => void;
  readonly retry: boolean;
}

interface Start {
  readonly at: number;
  refused: boolean;
}

/** What a request reports back about its answer. */
export interface Slot {
  /** The server refused it (429) and asked to wait `retryAfterMs`. */
  refused(retryAfterMs: number): void;
  /** The server answered it. */
  accepted(): void;
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
 * server's `Retry-After` runs. A refusal means the server's limit is lower than the one given
 * (another process shares the user, or the product changed it): the window then holds only as
 * many requests as the server accepted in it, until a whole window passes without refusal. After
 * a refusal one request is in flight until one is answered, and retried requests go first.
 */
export class RequestBudget {
  private readonly starts: Start[] = [];
  private learnedMax: number | null = null;
  private lastRefusal = 0;
  private readonly executions: { end: number; ms: number }[] = [];
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private probing = false;
  private timer: NodeJS.Timeout | null = null;
  private counters = { started: 0, maxInFlight: 0, windowPeak: 0, pausedMs: 0 };

  constructor(readonly limits: BudgetLimits) {}

  /** Runs `work` once the limits allow; `retry` marks a request sent again, which goes first. */
  async run<T>(work: (slot: Slot) => Promise<T>, options: { retry?: boolean } = {}): Promise<T> {
    const start = await new Promise<Start>((resolve) => {
      const waiter = { start: resolve, retry: options.retry ?? false };
      if (waiter.retry) this.queue.unshift(waiter);
      else this.queue.push(waiter);
      this.pump();
    });
    const began = Date.now();
    try {
      return await work({ refused: (ms) => this.refused(start, ms), accepted: () => this.accepted() });
    } finally {
      this.inFlight -= 1;
      this.executions.push({ end: Date.now(), ms: Date.now() - began });
      this.pump();
    }
  }

  private refused(start: Start, retryAfterMs: number): void {
    start.refused = true;
    const now = Date.now();
    this.learnedMax = Math.max(1, this.starts.filter((s) => !s.refused).length);
    this.lastRefusal = now;
    const until = now + retryAfterMs;
    if (until > this.pausedUntil) {
      this.counters.pausedMs += until - Math.max(this.pausedUntil, now);
      this.pausedUntil = until;
    }
    this.probing = true;
  }

  private accepted(): void {
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
      const start = { at: Date.now(), refused: false };
      this.starts.push(start);
      this.inFlight += 1;
      this.counters.started += 1;
      this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.inFlight);
      this.counters.windowPeak = Math.max(this.counters.windowPeak, this.starts.length);
      waiter.start(start);
    }
  }

  /** 0 to start now, a delay to wait, or null to wait for a request in flight to end. */
  private waitMs(now: number): number | null {
    const window = this.window();
    while (this.starts.length > 0 && this.starts[0]!.at <= now - window) this.starts.shift();
    while (this.executions.length > 0 && this.executions[0]!.end <= now - window) this.executions.shift();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.inFlight >= (this.probing ? 1 : this.limits.maxConcurrent)) return null;
    if (this.learnedMax !== null && now - this.lastRefusal > window) this.learnedMax = null;
    if (this.starts.length >= (this.learnedMax ?? this.limits.maxRequests)) return this.starts[0]!.at + window - now;
    const maxExecution = this.limits.maxExecutionMs;
    if (maxExecution !== undefined && this.executions.reduce((sum, e) => sum + e.ms, 0) >= maxExecution) {
      return this.executions[0]!.end + window - now;
    }
    return 0;
  }

  private wakeIn(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(1, ms),
    );
  }
}
