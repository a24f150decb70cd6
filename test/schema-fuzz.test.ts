import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildGatewaySchema } from '../src/server/schema';
import { describeFailures, runFuzz } from './support/fuzz-run';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2_147_483_647;

describe('schema-driven fuzzing of every query, mutation and subscription', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'fuzz', customers: 12, production: true });
  });
  after(() => gateway?.close());

  it(`answers ${RUNS} generated operations with no internal error, no leak, and refused mutations change nothing`, async () => {
    console.log(`fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} node --test dist/test/schema-fuzz.test.js)`);
    const report = await runFuzz(gateway, await buildGatewaySchema(), RUNS, SEED);
    console.log(`fuzz: ${JSON.stringify(report.byKind)}, ${report.refusedMutations} refused mutations, codes ${JSON.stringify(report.codes)}`);
    assert.equal(report.operations, RUNS);
    assert.ok(report.refusedMutations > 0 && report.byKind.subscription! > 0 && report.byKind.query! > 0);
    assert.equal(report.failures.length, 0, describeFailures(report, `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`));
  });
});
