export type FaultKind =
  /** 500 before the request is processed. */
  | 'server-error'
  /** The answer comes `slowMs` late. */
  | 'slow'
  /** The connection is dropped before the request is processed. */
  | 'drop-before'
  /** The request is processed, then the connection is dropped: the client never hears it worked. */
  | 'drop-after'
  /** The caller's token is revoked and the request answered 401. */
  | 'expired-token';

export interface FaultPlan {
  /** Share of requests that get a fault, 0 to 1. */
  readonly rate: number;
  readonly kinds: readonly FaultKind[];
  readonly slowMs?: number;
  /** Same seed, same faults on the same request sequence. */
  readonly seed?: number;
}

/** Picks which requests fail and how, from a seeded generator (mulberry32). */
export class FaultInjector {
  private state: number;
  readonly injected: Partial<Record<FaultKind, number>> = {};

  constructor(readonly plan: FaultPlan) {
    this.state = plan.seed ?? 1;
  }

  pick(): FaultKind | null {
    if (this.plan.rate <= 0 || this.plan.kinds.length === 0) return null;
    if (this.random() >= this.plan.rate) return null;
    const kind = this.plan.kinds[Math.floor(this.random() * this.plan.kinds.length)]!;
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
    return kind;
  }

  private random(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
