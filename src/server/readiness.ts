import type { RequestHandler } from 'express';
import type { StoreName } from '../db/data-sources';
import { errorCode } from '../db/retry-transient';
import type { StoreProbes } from '../db/store-probe';
import type { JobQueue } from '../jobs/job-queue';
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

/** How long `/readyz` waits for one check before counting it as not ready (a probe's own timeout is usually a few seconds). */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

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

/** A store answers `SELECT 1` on the probe's own connection. */
export function storeCheck(probes: StoreProbes, store: StoreName): ReadinessCheck {
  return {
    name: `${store}Store`,
    check: async () => {
      await probes.answer(store);
      return { ready: true };
    },
  };
}

/** The job engine is started and this process's queue workers can fetch jobs. */
export function jobEngineCheck(queue: JobQueue): ReadinessCheck {
  return {
    name: 'jobEngine',
    check: async () => {
      const health = await queue.health();
      return { ready: health.running, detail: health };
    },
  };
}

/** The read model's LISTEN connections to the systems' change notifications are up (changes would go unheard otherwise). */
export function changeListenerCheck(follower: ReadModelFollower): ReadinessCheck {
  return {
    name: 'changeListener',
    check: () => {
      const connections = follower.listening();
      return { ready: connections.every(Boolean), detail: { connections: connections.length, connected: connections.filter(Boolean).length } };
    },
  };
}

function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<ReadinessResult>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, detail: { error: `no answer within ${timeoutMs} ms` } }), timeoutMs);
  });
  return Promise.race([Promise.resolve().then(() => check.check()), expired]).finally(() => clearTimeout(timer));
}

/**
 * `/readyz`: 200 when every check is ready, else 503; the body shows each check's state either way.
 * Checks run side by side, each with its own timeout; one that throws or times out counts as not
 * ready (`/livez` stays the liveness probe).
 */
export function readinessRoute(checks: readonly ReadinessCheck[], timeoutMs = READINESS_CHECK_TIMEOUT_MS): RequestHandler {
  return async (_req, res) => {
    const results = await Promise.all(
      checks.map(async (check): Promise<[string, ReadinessResult]> => {
        try {
          return [check.name, await withTimeout(check, timeoutMs)];
        } catch (error) {
          // The code only (ECONNREFUSED, 57P03…): a message may name hosts, and /readyz answers anyone.
          return [check.name, { ready: false, detail: { error: errorCode(error) ?? 'failed' } }];
        }
      }),
    );
    const ready = results.every(([, result]) => result.ready);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  };
}
