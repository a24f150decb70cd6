import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { NotificationListener } from '../src/db/notification-listener';
import { withAdminClient } from './support/database-server';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('a change listener stopped while it connects', () => {
  it('leaves no LISTEN connection behind (one left open keeps a stopping process alive)', async () => {
    const channel = `stopped_${randomUUID().replaceAll('-', '')}`;
    const listener = new NotificationListener(SERVER, channel, () => {});
    const started = listener.start();
    await listener.stop();
    await started;
    const [open] = await withAdminClient(
      SERVER,
      async (client) =>
        (await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [`erp-crm-gateway:listen:${channel}`])).rows as { n: number }[],
    );
    assert.equal(open!.n, 0);
    assert.equal(listener.connected, false);
  });
});
