import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { operationLogger } from '../src/observability/logger';

/** The operation log writes its lines together, not a write(2) per line, and loses none at exit. */
describe('the operation log', () => {
  it('writes the lines of a burst of operations in one write, within a few tens of milliseconds', async () => {
    const writes: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    // The test runner reports on stdout too: only the log's writes are kept.
    process.stdout.write = ((text: string | Uint8Array, ...rest: never[]) =>
      typeof text === 'string' && text.includes('"graphql operation"') ? (writes.push(text), true) : write(text, ...rest)) as typeof process.stdout.write;
    try {
      for (const reqId of ['r1', 'r2', 'r3']) operationLogger.info({ reqId }, 'graphql operation');
      assert.equal(writes.length, 0, 'nothing written at once');
      await sleep(200);
    } finally {
      process.stdout.write = write;
    }
    assert.equal(writes.length, 1);
    const lines = writes[0]!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { reqId: string; msg: string });
    assert.deepEqual(
      lines.map((line) => [line.reqId, line.msg]),
      [
        ['r1', 'graphql operation'],
        ['r2', 'graphql operation'],
        ['r3', 'graphql operation'],
      ],
    );
  });

  it('writes what it holds when the process exits', () => {
    const logger = path.join(__dirname, '..', 'src', 'observability', 'logger.js');
    const script = `const { operationLogger } = require(${JSON.stringify(logger)}); operationLogger.info({ reqId: 'last' }, 'graphql operation'); process.exit(0);`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal((JSON.parse(output) as { reqId: string }).reqId, 'last');
  });
});
