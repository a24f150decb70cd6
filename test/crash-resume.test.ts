import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCrashScenario } from './support/crash-scenario';

const KILLS = 20;

describe('a full synchronisation whose worker is stopped, then killed', () => {
  it(`finishes, after a SIGTERM and ${KILLS} SIGKILLs at random points, exactly as an uninterrupted run on the same data`, async () => {
    const result = await runCrashScenario({ customers: 400, chunk: 40, kills: KILLS, seed: 11, timeoutMs: 240_000 });
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(result.interruptions.length, KILLS + 1, `the run ended after ${result.interruptions.length} interruptions of ${KILLS + 1}; it is too short to test`);
    assert.deepEqual(result.duplicates, {}, 'no record is written twice in either system');
    assert.deepEqual(result.actual, result.expected, `interrupted after ${result.interruptions.join(', ')} of ${result.total} records`);
  });
});
