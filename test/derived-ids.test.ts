import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { v5 as uuidV5 } from 'uuid';
import { DerivedIds } from '../src/sync/derived-ids';

describe('ids derived from a source record', () => {
  it('are the uuid v5 ids that earlier runs gave the records they created, so a rerun finds them', () => {
    const namespace = '6f1c3d52-2a39-4a6e-9a0e-7f4f2b0f9c11';
    const ids = new DerivedIds(namespace);
    const names = ['', 'CUSTOMER/erp/x', 'CONTACT/crm/Zoë Müller – 東京', ...Array.from({ length: 200 }, () => `CUSTOMER/erp/${randomUUID()}`)];
    for (const name of names) assert.equal(ids.of(name), uuidV5(name, namespace), name);
  });
});
