import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RecordStore } from '../emulators/shared/record-store';
import type { DomainRecord } from '../src/connectors/system-connector';
import { storeUrl, type Stores } from '../src/db/data-sources';
import { MirrorBook } from '../src/mirrors/mirror-book';
import { MirroredConnector } from '../src/mirrors/mirrored.connector';
import type { Product } from '../src/mirrors/product';
import { DATAVERSE_TABLES } from '../src/mirrors/product-tables';
import { Replicator } from '../src/mirrors/replicator';
import { TableTurns } from '../src/mirrors/table-turns';
import { accountFixture, customerFixture, describeConnector } from './support/connector-contract';
import { emulatedBusinessCentral, emulatedDataverse, type EmulatedSystem } from './support/emulated-systems';
import { newAccount, newCustomer } from './support/records';
import { seededStores } from './support/seeded-stores';

let counter = 0;

describeConnector(
  'erp',
  async () => {
    const { stores, release } = await seededStores('mirrored_erp_contract');
    const bc = await emulatedBusinessCentral('mirrored_erp_contract', stores);
    return customerFixture(bc.mirror.connector, 'MC', async () => {
      await bc.stop();
      await release();
    });
  },
  'mirrored over the Business Central emulator',
);

describeConnector(
  'crm',
  async () => {
    const { stores, release } = await seededStores('mirrored_crm_contract');
    const dataverse = await emulatedDataverse('mirrored_crm_contract', stores);
    return accountFixture(dataverse.mirror.connector, async () => {
      await dataverse.stop();
      await release();
    });
  },
  'mirrored over the Dataverse emulator',
);

interface MirrorCase {
  readonly system: 'erp' | 'crm';
  readonly product: string;
  readonly start: (label: string, stores: Stores) => Promise<EmulatedSystem<{ store: RecordStore; url: string }>>;
  readonly table: string;
  readonly entitySet: string;
  readonly nameColumn: string;
  readonly newRecord: (name: string) => DomainRecord;
  readonly writer: string;
}

const cases: MirrorCase[] = [
  {
    system: 'erp',
    product: 'Business Central',
    start: emulatedBusinessCentral,
    table: 'customer',
    entitySet: 'customers',
    nameColumn: 'displayName',
    newRecord: (name) => newCustomer(`MR${String((counter += 1)).padStart(5, '0')}`, name),
    writer: 'GATEWAY',
  },
  {
    system: 'crm',
    product: 'Dataverse',
    start: emulatedDataverse,
    table: 'account',
    entitySet: 'accounts',
    nameColumn: 'name',
    newRecord: (name) => newAccount(name, randomUUID()),
    writer: randomUUID(),
  },
];

for (const mirrorCase of cases) {
  describe(`a ${mirrorCase.product} mirror`, () => {
    let release: () => Promise<void>;
    let product: EmulatedSystem<{ store: RecordStore; url: string }>;
    let stores: Stores;

    before(async () => {
      const label = `mirror_${mirrorCase.system}`;
      ({ stores, release } = await seededStores(label, 20));
      product = await mirrorCase.start(label, stores);
    });
    after(async () => {
      await product?.stop();
      await release?.();
    });

    it('writes to the product first and keeps in the mirror what the product answered: its id, ETag and modified-at; deletes there too', async () => {
      const { connector } = product.mirror;
      const table = connector.table(mirrorCase.table);
      const record = mirrorCase.newRecord('Mirrored Written First');
      const stamp = await connector.bulkUpsert(table, [record], mirrorCase.writer);
      const [mirrored] = await connector.getByKeys(table, [connector.keyOf(table, record)]);
      const [stored] = (await product.emulator.store.list(mirrorCase.entitySet, { where: null, after: null, limit: 10_000 })).filter(
        (row) => row.data[mirrorCase.nameColumn] === 'Mirrored Written First',
      );
      assert.ok(stored, 'the product holds the record');
      assert.equal(mirrored!.modifiedAt.getTime(), stored.modifiedAt.getTime(), 'the mirror holds the modified-at the product stamped');
      assert.equal(stamp.getTime(), stored.modifiedAt.getTime());
      assert.equal(mirrored!.modifiedBy, mirrorCase.writer);

      assert.equal(await connector.delete(table, [connector.keyOf(table, record)]), 1);
      assert.equal(await product.emulator.store.get(mirrorCase.entitySet, stored.id), null, 'a delete reaches the product too');
    });

    it('reads its feed from the start again when the product refuses its position, and finds what was deleted meanwhile', async () => {
      const { connector, replicator } = product.mirror;
      const table = connector.table(mirrorCase.table);
      await replicator.catchUp();
      const gone = mirrorCase.newRecord('Deleted While The Position Was Stale');
      await connector.bulkUpsert(table, [gone], mirrorCase.writer);
      const [stored] = (await product.emulator.store.list(mirrorCase.entitySet, { where: null, after: null, limit: 10_000 })).filter(
        (row) => row.data[mirrorCase.nameColumn] === 'Deleted While The Position Was Stale',
      );
      await product.emulator.store.delete(mirrorCase.entitySet, stored!.id);
      const book = `"${mirrorCase.system}"."mirror_position"`;
      // Dataverse: a delta link of another environment URL (the emulator moved); Business Central: a time long ago, which it accepts.
      const stale = mirrorCase.system === 'crm' ? 'http://127.0.0.1:1/api/data/v9.2/accounts?$deltatoken=1' : new Date(0).toISOString();
      await stores[mirrorCase.system].query(`UPDATE ${book} SET position = $2 WHERE table_name = $1`, [mirrorCase.table, stale]);
      await replicator.catchUp();
      assert.deepEqual(await connector.getByKeys(table, [connector.keyOf(table, gone)]), [], 'the deletion made while the position was refused is found');
      if (mirrorCase.system === 'crm') {
        const [{ position }] = await stores.crm.query(`SELECT position FROM ${book} WHERE table_name = $1`, [mirrorCase.table]);
        assert.ok(String(position).startsWith(product.emulator.url), 'the mirror holds a delta link Dataverse accepts again');
      }
    });

    it('catches up with changes made in the product, passes over its own writes, and says how far it has caught up', async () => {
      const { connector, replicator } = product.mirror;
      const table = connector.table(mirrorCase.table);
      await replicator.catchUp();
      const own = mirrorCase.newRecord('Mirrored Own Write');
      await connector.bulkUpsert(table, [own], mirrorCase.writer);
      const [ownBefore] = await connector.getByKeys(table, [connector.keyOf(table, own)]);
      assert.equal(await replicator.catchUp(), 0, 'the answer to its own write is in the mirror already');
      assert.deepEqual(await connector.getByKeys(table, [connector.keyOf(table, own)]), [ownBefore]);

      const [stored] = (await product.emulator.store.list(mirrorCase.entitySet, { where: null, after: null, limit: 10_000 })).filter(
        (row) => row.data[mirrorCase.nameColumn] === 'Mirrored Own Write',
      );
      await product.emulator.store.put(mirrorCase.entitySet, stored!.id, { ...stored!.data, [mirrorCase.nameColumn]: 'Renamed In The Product' }, null);
      const started = new Date();
      assert.equal(await replicator.catchUp(), 1);
      const [renamed] = await connector.getByKeys(table, [connector.keyOf(table, own)]);
      assert.equal(renamed!.name, 'Renamed In The Product');
      assert.notEqual(renamed!.modifiedBy, mirrorCase.writer, 'a change made in the product is not the gateway’s');

      await product.emulator.store.delete(mirrorCase.entitySet, stored!.id);
      assert.equal(await replicator.catchUp(), 1);
      assert.deepEqual(await connector.getByKeys(table, [connector.keyOf(table, own)]), []);
      const position = (await replicator.positions()).find((p) => p.table === mirrorCase.table)!;
      assert.ok(position.caughtUpAt! >= started, 'the table has caught up with every change made before the last pass');
    });
  });
}

describe("a mirror's replicator and the gateway's writes", () => {
  for (const { title, processes } of [
    { title: 'in one process', processes: 1 },
    { title: 'in two processes (turns of their own, over one mirror)', processes: 2 },
  ]) {
    it(`do not interleave ${title}: a feed read while the gateway writes does not bring the gateway's new version in as someone else's`, () => writeDuringFeedRead(processes));
  }

  async function writeDuringFeedRead(processes: number): Promise<void> {
    const { stores, release } = await seededStores(`mirror_turns_${processes}`, 10);
    const dataverse = await emulatedDataverse(`mirror_turns_${processes}`, stores);
    try {
      const product = dataverse.mirror.connector.product;
      let reachedProduct!: () => void;
      const inProduct = new Promise<void>((resolve) => (reachedProduct = resolve));
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      // The product has the new version; the answer has not reached the mirror yet.
      const slowAnswer: Product = {
        kind: product.kind,
        lowerCaseFields: product.lowerCaseFields,
        delete: (map, ids) => product.delete(map, ids),
        changes: (map, position, knownIds) => product.changes(map, position, knownIds),
        probe: (map) => product.probe(map),
        isStalePosition: (error) => product.isStalePosition(error),
        write: async (map, writes) => {
          const result = await product.write(map, writes);
          reachedProduct();
          await held;
          return result;
        },
      };
      const book = new MirrorBook(stores.crm, 'crm');
      const writerTurns = new TableTurns(storeUrl(stores.crm), 'crm');
      const replicatorTurns = processes === 1 ? writerTurns : new TableTurns(storeUrl(stores.crm), 'crm');
      const mirror = dataverse.mirror.connector.mirror;
      const connector = new MirroredConnector(mirror, slowAnswer, book, DATAVERSE_TABLES, writerTurns);
      const replicator = new Replicator(
        mirror,
        product,
        book,
        DATAVERSE_TABLES,
        { unattributedModifier: randomUUID(), onError: (error) => assert.fail(String(error)) },
        replicatorTurns,
      );
      await replicator.catchUp();
      const table = connector.table('account');
      const writer = randomUUID();
      const record = newAccount('Written While The Feed Is Read', randomUUID());
      const writing = connector.bulkUpsert(table, [record], writer);
      await inProduct;
      const reading = replicator.catchUp();
      setTimeout(letGo, 50);
      await writing;
      assert.equal(await reading, 0, 'the feed brought the version the write put in the mirror: nothing to apply');
      const [mirrored] = await connector.getByKeys(table, [record.id]);
      assert.equal(mirrored!.modifiedBy, writer);
      await writerTurns.close();
      await replicatorTurns.close();
    } finally {
      await dataverse.stop();
      await release();
    }
  }
});
