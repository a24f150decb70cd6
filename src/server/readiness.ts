import type { RequestHandler } from 'express';
import type { ReadModelFollower } from '../unify/read-model-follower';

/** One part of the gateway that must be ready before a load balancer sends it traffic. */
export interface ReadinessCheck {
  readonly name: string;
  /** Whether the part is ready, with what a probe should see of it. */
  check(): Promise<ReadinessResult> | ReadinessResult;
}

export interface ReadinessResult {
  readonly ready: boolean;
  readonly detail?: unknown;
}

/** The unified index: ready once the start-up catch-up has indexed every mapping. */
export function readModelCheck(follower: ReadModelFollower): ReadinessCheck {
  return {
    name: 'readModel',
    check: () => {
      const progress = follower.progress();
      return { ready: progress.complete, detail: progress };
    },
  };
}

/**
 * `/readyz`: 200 when every check is ready, else 503; the body shows each check's state either way.
 * A check that throws counts as not ready (`/healthz` stays the liveness probe).
 */
export function readinessRoute(checks: readonly ReadinessCheck[]): RequestHandler {
  return async (_req, res) => {
    const results = await Promise.all(
      checks.map(async (check): Promise<[string, ReadinessResult]> => {
        try {
          return [check.name, await check.check()];
        } catch (error) {
          return [check.name, { ready: false, detail: { error: error instanceof Error ? error.message : String(error) } }];
        }
      }),
    );
    const ready = results.every(([, result]) => result.ready);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'starting', checks: Object.fromEntries(results) });
  };
}
