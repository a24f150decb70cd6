import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FilterOperator } from '../../entities/integration/record-filter';
import { matchesFilter } from '../../src/connectors/filter-match';
import type { DomainRecord, SystemConnector, SystemName, Table } from '../../src/connectors/system-connector';
import { DomainError } from '../../src/errors/domain-error';
import { standardTableMappings } from '../../src/mappings/standard-mappings';
import { newAccount, newCustomer } from './records';

export interface ConnectorFixture {
  readonly connector: SystemConnector;
  /** A table to write to, and a new valid record for it with the given display name. */
  readonly table: Table<DomainRecord>;
  newRecord(name: string): DomainRecord;
  /** The field holding the name given to newRecord. */
  readonly nameField: string;
  /** What the system records as modified-by for a write by the gateway. */
  readonly writer: string;
  close(): Promise<void>;
}

async function everything(connector: SystemConnector, table: Table<DomainRecord>): Promise<DomainRecord[]> {
  return connector.list(table, { first: 1_000_000 });
}

/**
 * What every connector must do, run against each one: a connector to a real product's API is held
 * to the same behaviour.
 */
export function describeConnector(system: SystemName, create: () => Promise<ConnectorFixture>, label = 'over PostgreSQL'): void {
  describe(`the ${system.toUpperCase()} connector ${label}`, () => {
    let fixture: ConnectorFixture;
    const key = (record: DomainRecord) => fixture.connector.keyOf(fixture.table, record);

    before(async () => {
      fixture = await create();
    });
    after(() => fixture?.close());

    it('applies every standard mapping filter exactly as the in-memory matcher does', async () => {
      let splitting = 0;
      for (const mapping of standardTableMappings) {
        const table = fixture.connector.table(system === 'erp' ? mapping.erpTable : mapping.crmTable);
        const filter = system === 'erp' ? mapping.erpFilter : mapping.crmFilter;
        if (filter.length === 0) continue;
        const all = await everything(fixture.connector, table);
        const expected = all.filter((record) => matchesFilter(record, filter)).map((record) => fixture.connector.keyOf(table, record));
        const actual = (await fixture.connector.list(table, { first: 1_000_000, filter })).map((record) => fixture.connector.keyOf(table, record));
        assert.deepEqual(actual, expected, mapping.name);
        if (expected.length > 0 && expected.length < all.length) splitting += 1;
      }
      assert.ok(splitting >= 2, 'the demo data has records on both sides of several filters');
    });

    it('describes its tables: key, modified-at, typed fields, and a blank record that lacks only what is required', () => {
      const table = fixture.table;
      assert.equal(fixture.connector.table(table.name), table);
      assert.equal(table.system, system);
      for (const field of [table.keyField, table.modifiedAtField, table.modifiedByField, fixture.nameField]) assert.ok(table.fields.has(field), field);
      assert.equal(table.fields.get(table.modifiedAtField)!.kind, 'timestamp');
      assert.equal(table.fields.get(fixture.nameField)!.kind, 'text');
      assert.equal(fixture.connector.maxLength(table, fixture.nameField), table.fields.get(fixture.nameField)!.maxLength);
      const blank = fixture.connector.blankRecord(table, randomUUID());
      assert.deepEqual(Object.keys(blank).sort(), [...table.fields.keys()].sort());
      const record = fixture.newRecord('Contract Described');
      assert.deepEqual(fixture.connector.missingRequired(table, record), []);
      assert.deepEqual(fixture.connector.missingRequired(table, { ...record, [fixture.nameField]: null }), [fixture.nameField]);
      assert.throws(
        () => fixture.connector.table('no_such_table'),
        (error: unknown) => error instanceof DomainError && error.code === 'BAD_USER_INPUT',
      );
    });

    it('inserts and then replaces records by key in bulk, stamping modified-at and modified-by', async () => {
      const records = [fixture.newRecord('Contract Alpha'), fixture.newRecord('Contract Beta')];
      const started = Date.now();
      await fixture.connector.bulkUpsert(fixture.table, records, fixture.writer);
      const stored = await fixture.connector.getByKeys(fixture.table, records.map(key));
      assert.equal(stored.length, 2);
      for (const record of stored) {
        assert.equal(record.modifiedBy, fixture.writer);
        assert.ok((record.modifiedAt as Date).getTime() >= started - 1000);
      }
      await fixture.connector.bulkUpsert(fixture.table, [{ ...stored[0]!, [fixture.nameField]: 'Contract Alpha Renamed' }], fixture.writer);
      const [renamed] = await fixture.connector.getByKeys(fixture.table, [key(stored[0]!)]);
      assert.equal(renamed![fixture.nameField], 'Contract Alpha Renamed');
    });

    it('writes records that stand together all at once, or none of them when one is refused', async () => {
      const first = fixture.newRecord('Contract Epsilon');
      const second = fixture.newRecord('Contract Zeta');
      const refused = { ...fixture.newRecord('Contract Eta'), [fixture.nameField]: null };
      await assert.rejects(
        fixture.connector.bulkUpsertTogether(
          [
            { table: fixture.table, records: [first] },
            { table: fixture.table, records: [refused] },
          ],
          fixture.writer,
        ),
      );
      assert.deepEqual(await fixture.connector.getByKeys(fixture.table, [key(first), key(refused)]), []);
      await fixture.connector.bulkUpsertTogether(
        [
          { table: fixture.table, records: [first] },
          { table: fixture.table, records: [second] },
        ],
        fixture.writer,
      );
      assert.equal((await fixture.connector.getByKeys(fixture.table, [key(first), key(second)])).length, 2);
    });

    it('stores text exactly as given, whatever characters it holds', async () => {
      const names = ['Quote " and backslash \\ inside', 'Braces {a,b} and, commas', 'NULL', ' padded ', 'Zoë Müller – 東京'];
      const records = names.map((name) => fixture.newRecord(name));
      await fixture.connector.bulkUpsert(fixture.table, records, fixture.writer);
      const stored = await fixture.connector.getByKeys(fixture.table, records.map(key));
      assert.deepEqual(stored.map((record) => record[fixture.nameField]).sort(), [...names].sort());
    });

    it('gets by keys and by field, and tells which keys exist, ignoring keys that do not', async () => {
      const record = fixture.newRecord('Contract Gamma');
      await fixture.connector.bulkUpsert(fixture.table, [record], fixture.writer);
      const found = await fixture.connector.getByKeys(fixture.table, [key(record), randomUUID()]);
      assert.deepEqual(found.map(key), [key(record)]);
      assert.deepEqual([...(await fixture.connector.existingKeys(fixture.table, [key(record), randomUUID()]))], [key(record)]);
      const byName = await fixture.connector.getByField(fixture.table, fixture.nameField, ['Contract Gamma', 'nobody by this name']);
      assert.deepEqual(byName.map(key), [key(record)]);
    });

    it('reads several sets of records in one go, each exactly as getByField reads it, one taking its values from another', async () => {
      const names = ['Together " and \\ {a,b}', 'Together Zoë – 東京'];
      const records = names.map((name) => fixture.newRecord(name));
      await fixture.connector.bulkUpsert(fixture.table, records, fixture.writer);
      const keyField = fixture.table.keyField;
      const [byKey, byName, none] = await fixture.connector.readTogether([
        { table: fixture.table, field: keyField, values: records.map(key) },
        { table: fixture.table, field: fixture.nameField, values: { from: 0, field: fixture.nameField } },
        { table: fixture.table, field: fixture.nameField, values: ['nobody by this name'] },
      ]);
      assert.equal(byKey!.length, 2);
      assert.deepEqual(byKey, await fixture.connector.getByField(fixture.table, keyField, records.map(key)));
      assert.deepEqual(byName, await fixture.connector.getByField(fixture.table, fixture.nameField, names));
      assert.deepEqual(none, []);
    });

    it('pages through a table in key order with a keyset cursor', async () => {
      const all = await everything(fixture.connector, fixture.table);
      const paged: string[] = [];
      let afterKey: string | null = null;
      for (;;) {
        const page: DomainRecord[] = await fixture.connector.list(fixture.table, { first: 7, after: afterKey });
        paged.push(...page.map(key));
        if (page.length < 7) break;
        afterKey = key(page[page.length - 1]!);
      }
      assert.deepEqual(paged, all.map(key));
      assert.deepEqual(paged, [...paged].sort());
      assert.equal(await fixture.connector.count(fixture.table), all.length);
    });

    it('feeds changes in (modified-at, key) order from a cursor, and from a time', async () => {
      const feed = await fixture.connector.changesSince(fixture.table, null, { limit: 1_000_000 });
      const order = feed.map((record) => [(record.modifiedAt as Date).getTime(), key(record)] as const);
      const sorted = [...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
      assert.deepEqual(order, sorted);
      const middle = feed[Math.floor(feed.length / 2)]!;
      const rest = await fixture.connector.changesSince(fixture.table, null, {
        limit: 1_000_000,
        after: { modifiedAt: middle.modifiedAt as Date, key: key(middle) },
      });
      assert.deepEqual(rest.map(key), feed.slice(Math.floor(feed.length / 2) + 1).map(key));
      const latest = await fixture.connector.changesSince(fixture.table, feed[feed.length - 1]!.modifiedAt as Date, { limit: 10 });
      assert.ok(latest.some((record) => key(record) === key(feed[feed.length - 1]!)));
      const end = feed[feed.length - 1]!;
      assert.deepEqual(await fixture.connector.lastChange(fixture.table), { modifiedAt: end.modifiedAt, key: key(end) });
    });

    it('deletes by key and says how many existed', async () => {
      const record = fixture.newRecord('Contract Delta');
      await fixture.connector.bulkUpsert(fixture.table, [record], fixture.writer);
      assert.equal(await fixture.connector.delete(fixture.table, [key(record), randomUUID()]), 1);
      assert.deepEqual(await fixture.connector.getByKeys(fixture.table, [key(record)]), []);
    });

    it('refuses a filter on a field the table does not have, with BAD_USER_INPUT', async () => {
      await assert.rejects(
        fixture.connector.list(fixture.table, { first: 1, filter: [{ field: 'noSuchField', op: FilterOperator.EQ, value: 1 }] }),
        (error: unknown) => error instanceof DomainError && error.code === 'BAD_USER_INPUT',
      );
    });
  });
}

let numbered = 0;

/** The ERP fixture: customers, numbered under `prefix`. */
export function customerFixture(connector: SystemConnector, prefix: string, close: () => Promise<void>): ConnectorFixture {
  return {
    connector,
    table: connector.table('customer'),
    nameField: 'name',
    writer: 'GATEWAY',
    newRecord: (name) => newCustomer(`${prefix}${String((numbered += 1)).padStart(5, '0')}`, name),
    close,
  };
}

/** The CRM fixture: accounts, written by a user of their own. */
export function accountFixture(connector: SystemConnector, close: () => Promise<void>): ConnectorFixture {
  return { connector, table: connector.table('account'), nameField: 'name', writer: randomUUID(), newRecord: (name) => newAccount(name, randomUUID()), close };
}
