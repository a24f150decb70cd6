import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChunkPipeline } from '../src/sync/chunk-pipeline';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a chunked pass as a pipeline', () => {
  it('commits every chunk after its own write, in chunk order, while the next chunk is read and written', async () => {
    const events: string[] = [];
    await runChunkPipeline<number, number>({
      read: async (previous) => {
        const next = previous === null ? 1 : previous + 1;
        if (next > 4) return null;
        events.push(`read ${next}`);
        await tick();
        return next;
      },
      write: async (chunk) => {
        events.push(`write ${chunk}`);
        await tick();
        events.push(`written ${chunk}`);
        return chunk * 10;
      },
      commit: async (chunk, written) => {
        await tick();
        await tick();
        events.push(`commit ${chunk}:${written}`);
      },
    });
    const at = (event: string) => events.indexOf(event);
    assert.deepEqual(
      events.filter((event) => event.startsWith('commit')),
      ['commit 1:10', 'commit 2:20', 'commit 3:30', 'commit 4:40'],
    );
    for (let chunk = 1; chunk <= 4; chunk += 1) assert.ok(at(`written ${chunk}`) < at(`commit ${chunk}:${chunk * 10}`));
    assert.ok(at('read 2') < at('written 1'), 'the next chunk is read while one is written');
    assert.ok(at('write 3') < at('commit 2:20'), 'a chunk commits while the next one is written');
  });

  it("fails with the failing stage's error once the stages in flight have settled, committing nothing after it", async () => {
    const committed: number[] = [];
    let readsInFlight = 0;
    await assert.rejects(
      runChunkPipeline<number, number>({
        read: async (previous) => {
          readsInFlight += 1;
          await tick();
          readsInFlight -= 1;
          return (previous ?? 0) + 1;
        },
        write: async (chunk) => {
          if (chunk === 3) throw new Error('refused');
          return chunk;
        },
        commit: async (chunk) => {
          await tick();
          committed.push(chunk);
        },
      }),
      /refused/,
    );
    assert.deepEqual(committed, [1, 2]);
    assert.equal(readsInFlight, 0);
  });
});
