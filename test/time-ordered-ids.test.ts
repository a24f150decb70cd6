import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate, version } from 'uuid';
import { TimeOrderedIds } from '../src/sync/time-ordered-ids';

describe('time-ordered ids for new integration records', () => {
  it('are distinct version 7 UUIDs of the current millisecond, sorting in the order they were made', () => {
    const ids = new TimeOrderedIds();
    const before = Date.now();
    const made = Array.from({ length: 20_000 }, () => ids.next());
    const after = Date.now();
    for (const id of made) {
      assert.ok(validate(id) && version(id) === 7, id);
      assert.match(id, /^[0-9a-f-]{19}[89ab]/, `${id}: RFC 4122 variant`);
    }
    assert.equal(new Set(made).size, made.length);
    assert.deepEqual([...made].sort(), made);
    const time = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    assert.ok(time(made[0]!) >= before && time(made[made.length - 1]!) <= after + 1);
  });
});
