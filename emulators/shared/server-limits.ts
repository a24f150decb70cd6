/** An emulated product's per-user limits; tests tighten them. */
export interface ServerLimits {
  readonly maxRequests: number;
  readonly windowMs: number;
  /** Requests processed at once; more wait in a queue (BC) or are refused at once (Dataverse: maxQueued 0). */
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  /** A queued request waiting longer is answered 503. */
  readonly queueTimeoutMs: number;
  /** Combined execution time in the window (Dataverse). */
  readonly maxExecutionMs?: number;
}

export type Admission = { readonly ok: true; release(): void } | { readonly ok: false; readonly status: 429 | 503; readonly retryAfterSeconds: number; readonly reason: string };

interface UserState {
  starts: number[];
  executions: { end: number; ms: number }[];
  inFlight: number;
  queue: (() => void)[];
}

export interface LimitStats {
  admitted: number;
  refused: number;
  maxInFlight: number;
  maxInWindow: number;
}

/** Enforces the limits per user, the way the products answer: 429 with Retry-After in seconds. */
export class ServerLimiter {
  private readonly users = new Map<string, UserState>();
  readonly stats: LimitStats = { admitted: 0, refused: 0, maxInFlight: 0, maxInWindow: 0 };

  constructor(public limits: ServerLimits) {}

  async admit(userId: string): Promise<Admission> {
    const state = this.state(userId);
    const now = Date.now();
    const { windowMs, maxRequests, maxExecutionMs, maxConcurrent, maxQueued, queueTimeoutMs } = this.limits;
    state.starts = state.starts.filter((start) => start > now - windowMs);
    state.executions = state.executions.filter((e) => e.end > now - windowMs);
    if (state.starts.length >= maxRequests)
      return this.refuse(429, state.starts[0]! + windowMs - now, `Number of requests exceeded the limit of ${maxRequests} over time window of ${windowMs / 1000} seconds.`);
    if (maxExecutionMs !== undefined && state.executions.reduce((sum, e) => sum + e.ms, 0) >= maxExecutionMs) {
      return this.refuse(
        429,
        state.executions[0]!.end + windowMs - now,
        `Combined execution time of incoming requests exceeded limit of ${maxExecutionMs} milliseconds over time window of ${windowMs / 1000} seconds.`,
      );
    }
    if (state.inFlight >= maxConcurrent) {
      if (state.queue.length >= maxQueued) return this.refuse(429, 1_000, `Number of concurrent requests exceeded the limit of ${maxConcurrent}.`);
      const admitted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          state.queue.splice(state.queue.indexOf(wake), 1);
          resolve(false);
        }, queueTimeoutMs);
        const wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
        state.queue.push(wake);
      });
      if (!admitted) return this.refuse(503, 1_000, 'The request waited too long in the queue.');
    }
    state.inFlight += 1;
    state.starts.push(Date.now());
    this.stats.admitted += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, state.inFlight);
    this.stats.maxInWindow = Math.max(this.stats.maxInWindow, state.starts.length);
    const began = Date.now();
    return {
      ok: true,
      release: () => {
        state.inFlight -= 1;
        state.executions.push({ end: Date.now(), ms: Date.now() - began });
        state.queue.shift()?.();
      },
    };
  }

  private refuse(status: 429 | 503, waitMs: number, reason: string): Admission {
    this.stats.refused += 1;
    return { ok: false, status, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), reason };
  }

  private state(userId: string): UserState {
    let state = this.users.get(userId);
    if (!state) this.users.set(userId, (state = { starts: [], executions: [], inFlight: 0, queue: [] }));
    return state;
  }
}
