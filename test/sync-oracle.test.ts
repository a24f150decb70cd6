import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { FieldMapping, FieldTransformation } from '../entities/integration/field-mapping.entity';
import { IntegrationRecord, SyncResult } from '../entities/integration/integration-record.entity';
import { SyncDirection } from '../entities/integration/sync-direction';
import { TableMapping } from '../entities/integration/table-mapping.entity';
import { standardTableMappings, transferredMappings } from '../src/mappings/standard-mappings';
import { SyncMode } from '../src/sync/sync-mode';
import { RunSyncDocument } from './generated/operations';
import { mappingWorlds, type MappingWorld, type Side } from './support/mapping-world';
import { emulatedProducts, SYSTEMS, type EmulatedProducts } from './support/emulated-systems';
import { snapshotProducts } from './support/product-snapshots';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const WORLDS = Number(process.env.ORACLE_WORLDS ?? 200);
/** Worlds replayed through the emulators: each costs the products' requests, so fewer keep the file within a minute or two. */
const EMULATED_WORLDS = Number(process.env.ORACLE_EMULATED_WORLDS ?? 20);
/** Where a bench run wants the worlds' tally (see bench/oracle.bench.ts). */
const SUMMARY = process.env.ORACLE_SUMMARY;
const SNAPSHOT = 'oracle_snapshot';
/** CRM records the engine writes beside a mapping's own (a unit group's unit, a product's item price list and its entry). */
const COMPANIONS = ['crm.unit', 'crm.product_price_level', 'crm.price_level'];
/** The mirrors' bookkeeping: which version of each record they hold, and how far each table's feed was read. */
const MIRROR_BOOKS = ['erp.mirror_record', 'erp.mirror_position', 'crm.mirror_record', 'crm.mirror_position'];
/** How the engine stamps its ERP writes: such an edit is its own, not a change. */
const ERP_WRITER = 'CRM INTEGRATION';

type Values = Record<string, unknown>;

/** A field both systems hold a plain copy of: what the specification reasons about. */
interface CopiedField extends Flow {
  /** Both columns accept no value. */
  readonly clearable: boolean;
  readonly columns: readonly ColumnMetadata[];
  /** A value no record of the mapping holds yet, valid for the field. */
  readonly fresh: () => unknown;
}

/** Which ways a mapped field may flow. */
interface Flow {
  readonly erp: string;
  readonly crm: string;
  readonly toCrm: boolean;
  readonly toErp: boolean;
}

interface RequiredReference extends Flow {
  /** The sides whose column of it may not be empty. */
  readonly requiredIn: ReadonlySet<Side>;
}

interface MappingSide {
  readonly store: DataSource;
  readonly metadata: EntityMetadata;
  readonly key: string;
  /** The record each key had when the snapshot was taken. */
  readonly baseline: ReadonlyMap<string, ObjectLiteral>;
}

interface MappingUnderTest {
  readonly name: string;
  readonly writesCrm: boolean;
  readonly writesErp: boolean;
  readonly fields: readonly CopiedField[];
  /** Fields translated on their way (references, options) into a column the system they flow to requires. */
  readonly required: readonly RequiredReference[];
  readonly sides: Readonly<Record<Side, MappingSide>>;
  /** Its couplings synchronised (or holding fields in conflict) when the snapshot was taken. */
  readonly pairs: readonly IntegrationRecord[];
  readonly settings: TableMapping;
}

const other = (side: Side): Side => (side === 'erp' ? 'crm' : 'erp');

/** Values as both systems' columns compare: numbers as numbers, dates as their day, nothing as null. */
function normal(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return value.slice(0, 10);
  return value;
}

let counter = 0;

/** A value no record holds yet that fits every one of the columns. */
function freshValue(columns: readonly ColumnMetadata[]): unknown {
  counter += 1;
  const type = String(columns[0]!.type).toLowerCase();
  if (/numeric|decimal|int|number|float|double/.test(type)) {
    const digits = Math.min(...columns.map((column) => (column.precision ? column.precision - (column.scale ?? 0) : 6)));
    const limit = Math.min(10 ** Math.max(digits, 1) - 1, 99);
    return (counter % limit) + 1;
  }
  if (/date|time/.test(type)) {
    const day = new Date(Date.UTC(2027, 0, 1) + (counter % 700) * 86_400_000).toISOString().slice(0, 10);
    return type === 'date' ? day : new Date(`${day}T00:00:00Z`);
  }
  if (type === 'boolean') return counter % 2 === 0;
  const length = Math.min(...columns.map((column) => Number(column.length) || 40));
  const text = `Q${counter.toString(36).toUpperCase()}`;
  return text.length <= length ? text : counter.toString(36).toUpperCase().slice(-length);
}

/** Seed: "Only currencies that have a standard ISO code will be coupled and synchronised": the codes the oracle gives, in turn. */
const isoCodes = Intl.supportedValuesOf('currency');
/** Fields whose values must come from a domain of their own. */
const domains: Readonly<Record<string, (taken: ReadonlySet<unknown>) => () => unknown>> = {
  'CURRENCY.isoCode': (taken) => {
    const free = isoCodes.filter((code) => !taken.has(code));
    return () => free[(counter += 1) % free.length];
  },
};

/** A fresh value no record holds yet (`taken`, as `normal` gives them): a new record that repeated one could meet a unique key. */
function untaken(make: () => unknown, taken: ReadonlySet<unknown>): unknown {
  let value = make();
  for (let tries = 0; tries < 200 && taken.has(normal(value)); tries += 1) value = make();
  return value;
}

/** Whether the oracle can give the column values of its own: text, numbers, dates (not enumerations or keys). */
function editable(column: ColumnMetadata): boolean {
  const type = String(column.type).toLowerCase();
  return column.enum === undefined && !column.isPrimary && type !== 'uuid' && /char|text|string|numeric|decimal|int|number|date|time/.test(type);
}

/*
 * The specification, written plainly and independently of the engine: what one synchronisation
 * of a mapping must leave in both systems, field by field. A field changed on one side since the
 * last synchronisation (against the value kept for it, or anywhere in a record whose values were
 * not kept) flows where the mapping's and the field's directions let it; changed on both sides to
 * different values, or held in conflict by an earlier run, the conflict policy's side wins where
 * it may write, else both keep theirs; a pair is decided when either side changed, or in a full run.
 * The engine's own edits (its ERP account, the CRM integration user) are no changes. Uncoupled
 * records get a counterpart in a full run, or when the mapping does not keep to coupled records.
 * A coupled record deleted on one side changes nothing until a full run applies the deletion
 * policy: NONE reports it, REMOVE_COUPLING uncouples the survivor, RESTORE recreates it from
 * the survivor under its old key where the mapping writes that side.
 */
function merged(
  mapping: MappingUnderTest,
  world: MappingWorld,
  pair: { erp: Values; crm: Values },
  records: { erp: ObjectLiteral; crm: ObjectLiteral },
  kept: Kept,
): { erp: Values; crm: Values } {
  const next = { erp: { ...pair.erp }, crm: { ...pair.crm } };
  for (const field of mapping.fields) {
    const winner = winnerOf(world, field, pair, kept, true);
    if (winner === 'erp') next.crm[field.crm] = pair.erp[field.erp];
    if (winner === 'crm') next.erp[field.erp] = pair.crm[field.crm];
  }
  // A reference the other system requires that flows empty leaves a field there empty: that side's write is skipped.
  for (const to of ['erp', 'crm'] as const) {
    const from = other(to);
    if (mapping.required.some((field) => field.requiredIn.has(to) && winnerOf(world, field, records, kept, false) === from && records[from][field[from]] == null))
      next[to] = { ...pair[to] };
  }
  return next;
}

/** What a pair's coupling kept when it was last synchronised, and which sides changed since. */
interface Kept {
  /** By CRM field: ERP's value, then CRM's; null when the coupling kept none. */
  readonly base: Record<string, [unknown, unknown]> | null;
  readonly held: ReadonlySet<string>;
  readonly changed: { readonly erp: boolean; readonly crm: boolean };
}

/** The side whose value of the field flows to the other, if any. */
function winnerOf(world: MappingWorld, field: Flow, pair: { erp: ObjectLiteral; crm: ObjectLiteral }, { base, held, changed }: Kept, comparable: boolean): Side | null {
  const kept = base?.[field.crm];
  const erpChanged = field.toCrm && changed.erp && (kept === undefined || normal(pair.erp[field.erp]) !== normal(kept[0]));
  const crmChanged = field.toErp && changed.crm && (kept === undefined || normal(pair.crm[field.crm]) !== normal(kept[1]));
  if ((erpChanged && crmChanged) || held.has(field.crm)) {
    if (comparable && normal(pair.erp[field.erp]) === normal(pair.crm[field.crm])) return null;
    return world.conflictPolicy === 'ERP_WINS' && field.toCrm ? 'erp' : world.conflictPolicy === 'CRM_WINS' && field.toErp ? 'crm' : null;
  }
  return erpChanged ? 'erp' : crmChanged ? 'crm' : null;
}

/** The values a coupling kept when it was last synchronised, by CRM field: ERP's, then CRM's. */
const keptValues = (link: IntegrationRecord) => (link.syncedValues === null ? null : (JSON.parse(link.syncedValues) as Record<string, [unknown, unknown]>));
const heldFields = (link: IntegrationRecord): ReadonlySet<string> => new Set(link.conflictingFields === null ? [] : (JSON.parse(link.conflictingFields) as string[]));

const project = (record: ObjectLiteral, columns: readonly string[]): Values => Object.fromEntries(columns.map((column) => [column, normal(record[column])]));

for (const systems of SYSTEMS) {
  describe(`oracle: the engine agrees with a plain specification on random worlds of every mapping${systems.title}`, () => {
    const worlds = systems.products ? EMULATED_WORLDS : WORLDS;
    let gateway: TestGateway;
    let products: EmulatedProducts | undefined;
    let productSnapshot: { restore(): Promise<void> } | undefined;
    const mappings = new Map<string, MappingUnderTest>();
    let users: { integration: string; person: string };
    const tally = new Map<string, number>();

    before(async () => {
      products = systems.products ? await emulatedProducts('oracle') : undefined;
      gateway = await startTestGateway({ label: systems.products ? 'oracle_emulated' : 'oracle', customers: 6, products });
      // Each world writes its own integration records beside its rows; a follower indexing them meanwhile would race it.
      await gateway.services.readModel.stop();
      const { erp, crm, integration } = gateway.stores;
      const names = standardTableMappings.map((mapping) => mapping.name).filter((name) => !transferredMappings.has(name));
      // Every mapping synchronised in full once, in dependency order: the worlds start from a company in sync.
      for (const name of names) await gateway.services.sync.runMapping(name, SyncMode.FULL, 'oracle');
      await integration.query(`DROP SCHEMA IF EXISTS ${SNAPSHOT} CASCADE; CREATE SCHEMA ${SNAPSHOT}`);
      const [integrationUser] = await crm.query(`SELECT id FROM crm.system_user WHERE is_integration_user LIMIT 1`);
      const [person] = await crm.query(`SELECT id FROM crm.system_user WHERE NOT is_integration_user LIMIT 1`);
      users = { integration: integrationUser.id, person: person.id };
      const links = await integration.getRepository(IntegrationRecord).find();
      for (const name of names) {
        const settings = await integration.getRepository(TableMapping).findOneByOrFail({ name });
        const side = async (store: DataSource, table: string): Promise<MappingSide> => {
          const metadata = store.entityMetadatas.find((m) => m.tableName === table)!;
          const key = metadata.primaryColumns[0]!.propertyName;
          const rows = await store.getRepository(metadata.target).find();
          await store.query(`CREATE TABLE IF NOT EXISTS ${SNAPSHOT}."${metadata.tablePath}" AS SELECT * FROM ${metadata.tablePath}`);
          return { store, metadata, key, baseline: new Map(rows.map((row) => [row[key] as string, row])) };
        };
        const sides = { erp: await side(erp, settings.erpTable), crm: await side(crm, settings.crmTable) };
        const writesCrm = settings.direction !== SyncDirection.FROM_CRM;
        const writesErp = settings.direction !== SyncDirection.TO_CRM;
        const fieldMappings = await integration.getRepository(FieldMapping).findBy({ tableMappingName: name, enabled: true });
        const takenBy = (erpField: string | null, crmField: string | null) =>
          new Set([
            ...[...sides.erp.baseline.values()].map((row) => (erpField ? normal(row[erpField]) : null)),
            ...[...sides.crm.baseline.values()].map((row) => (crmField ? normal(row[crmField]) : null)),
          ]);
        const fields = fieldMappings
          .filter((field) => field.erpField !== null && field.constantValue === null && field.transformation === FieldTransformation.NONE)
          .flatMap((field): CopiedField[] => {
            const columns = [sides.erp.metadata.findColumnWithPropertyName(field.erpField!)!, sides.crm.metadata.findColumnWithPropertyName(field.crmField)!];
            if (!columns.every(editable)) return [];
            return [
              {
                erp: field.erpField!,
                crm: field.crmField,
                toCrm: writesCrm && field.direction !== SyncDirection.FROM_CRM,
                toErp: writesErp && field.direction !== SyncDirection.TO_CRM,
                clearable: columns.every((column) => column.isNullable),
                columns,
                fresh:
                  domains[`${name}.${field.erpField}`]?.(new Set([...sides.erp.baseline.values()].map((row) => row[field.erpField!]))) ??
                  (() => untaken(() => freshValue(columns), takenBy(field.erpField!, field.crmField))),
              },
            ];
          });
        const required = fieldMappings
          .filter((field) => field.erpField !== null && field.constantValue === null && field.transformation !== FieldTransformation.NONE)
          .map((field): RequiredReference => ({
            erp: field.erpField!,
            crm: field.crmField,
            toCrm: writesCrm && field.direction !== SyncDirection.FROM_CRM,
            toErp: writesErp && field.direction !== SyncDirection.TO_CRM,
            requiredIn: new Set(
              (['erp', 'crm'] as const).filter((side) => !sides[side].metadata.findColumnWithPropertyName(field[side === 'erp' ? 'erpField' : 'crmField']!)!.isNullable),
            ),
          }))
          .filter((field) => field.requiredIn.size > 0);
        const pairs = links.filter(
          (link) =>
            link.mappingName === name &&
            (link.lastResult === SyncResult.SUCCESS || link.lastResult === SyncResult.CONFLICT) &&
            link.erpId &&
            link.crmId &&
            sides.erp.baseline.has(link.erpId) &&
            sides.crm.baseline.has(link.crmId),
        );
        mappings.set(name, { name, writesCrm, writesErp, fields, required, sides, pairs, settings });
      }
      for (const table of COMPANIONS) await crm.query(`CREATE TABLE IF NOT EXISTS ${SNAPSHOT}."${table}" AS SELECT * FROM ${table}`);
      if (products) {
        assert.equal(await catchUpMirrors(), 0, 'the mirrors hold every version the products hold');
        for (const table of MIRROR_BOOKS) await crm.query(`CREATE TABLE ${SNAPSHOT}."${table}" AS SELECT * FROM ${table}`);
        productSnapshot = await snapshotProducts(products);
      }
      await integration.query(`CREATE TABLE ${SNAPSHOT}.integration_record AS SELECT * FROM integration.integration_record`);
    });
    after(async () => {
      if (SUMMARY && !products) writeFileSync(SUMMARY, JSON.stringify(Object.fromEntries(tally)));
      await gateway?.close();
      await products?.stop();
    });

    /** A pass of both mirrors' replicators; the records they wrote or deleted. */
    async function catchUpMirrors(): Promise<number> {
      let applied = 0;
      for (const { mirror } of gateway.services.systems.systems) applied += (await mirror?.replicator.catchUp()) ?? 0;
      return applied;
    }

    /**
     * How a world edits a system: over PostgreSQL, in the store itself; through the emulators, through
     * the gateway's connector, so the product takes the edit first and the mirror records its version.
     */
    const edits = (mapping: MappingUnderTest, side: Side) => {
      const { store, metadata } = mapping.sides[side];
      const repository = store.getRepository(metadata.target);
      const connector = gateway.services.systems.connectors[side];
      const table = connector.table(metadata.tableName);
      return {
        update: async (key: string, values: ObjectLiteral, stamp: { modifiedAt: Date; modifiedBy: string }) => {
          if (!products) return void (await repository.update(key, { ...values, ...stamp }));
          const [record] = await connector.getByKeys(table, [key]);
          await connector.bulkUpsert(table, [{ ...record!, ...values }], stamp.modifiedBy);
        },
        /** `row` carries its stamps. */
        insert: async (row: ObjectLiteral) => {
          if (!products) return void (await repository.insert(row));
          await connector.bulkUpsert(table, [{ ...row }], row.modifiedBy);
        },
        delete: async (key: string) => {
          if (!products) return void (await repository.delete(key));
          await connector.delete(table, [key]);
        },
      };
    };

    const restoreTable = (store: DataSource, table: string) => store.query(`TRUNCATE ${table}; INSERT INTO ${table} OVERRIDING SYSTEM VALUE SELECT * FROM ${SNAPSHOT}."${table}"`);

    /** The mapping the last world synchronised: its tables and couplings are put back before the next world. */
    let dirty: MappingUnderTest | null = null;

    /**
     * The mapping's tables and couplings as they were at the snapshot, and its settings for this
     * world; the last world's mapping's too, as other mappings translate references through it.
     */
    async function restore(mapping: MappingUnderTest, world: MappingWorld): Promise<void> {
      if (dirty && dirty !== mapping) await restoreData(dirty);
      dirty = mapping;
      await restoreData(mapping);
      if (products) {
        for (const table of MIRROR_BOOKS) await restoreTable(gateway.stores.crm, table);
        await productSnapshot!.restore();
      }
      await gateway.stores.integration.getRepository(TableMapping).save({
        ...mapping.settings,
        syncOnlyCoupledRecords: world.syncOnlyCoupledRecords,
        updateConflictResolution: world.conflictPolicy as never,
        deletionConflictResolution: world.deletionPolicy as never,
      });
    }

    async function restoreData(mapping: MappingUnderTest): Promise<void> {
      const { crm, integration } = gateway.stores;
      for (const { store, metadata } of Object.values(mapping.sides)) await restoreTable(store, metadata.tablePath);
      for (const table of COMPANIONS) await restoreTable(crm, table);
      await integration.query(`DELETE FROM integration.integration_record WHERE mapping_name = $1`, [mapping.name]);
      await integration.query(`INSERT INTO integration.integration_record SELECT * FROM ${SNAPSHOT}.integration_record WHERE mapping_name = $1`, [mapping.name]);
    }

    it(`agrees on ${worlds} random worlds of every mapping (a failure prints the seed to replay it)`, async () => {
      await fc.assert(
        fc.asyncProperty(mappingWorlds([...mappings.keys()]), async (world) => {
          const mapping = mappings.get(world.mapping)!;
          tally.set(world.mapping, (tally.get(world.mapping) ?? 0) + 1);
          await restore(mapping, world);
          const { integration } = gateway.stores;
          const erpColumns = [...new Set(mapping.fields.map((field) => field.erp))];
          const crmColumns = [...new Set(mapping.fields.map((field) => field.crm))];
          const columnsOf = (side: Side) => (side === 'erp' ? erpColumns : crmColumns);
          // What each side is expected to hold after the run, by key: the copied fields (null: the record must not exist).
          const expected: Record<Side, Map<string, Values | null>> = { erp: new Map(), crm: new Map() };
          for (const side of ['erp', 'crm'] as const) for (const [key, row] of mapping.sides[side].baseline) expected[side].set(key, project(row, columnsOf(side)));
          const now = new Date();
          const repository = (side: Side) => mapping.sides[side].store.getRepository(mapping.sides[side].metadata.target);
          const stamp = (side: Side, byEngine: boolean) => ({
            modifiedAt: now,
            modifiedBy: side === 'erp' ? (byEngine ? ERP_WRITER : 'ORACLE') : byEngine ? users.integration : users.person,
          });
          const linkChecks: Array<() => Promise<void>> = [];
          // A reference or option the other system requires, missing in the record, would leave a field there empty: it is skipped.
          const complete = (from: Side, record: ObjectLiteral) =>
            mapping.required.every((field) => !field.requiredIn.has(other(from)) || !(from === 'erp' ? field.toCrm : field.toErp) || record[field[from]] != null);

          // Coupled pairs: edits on either side, or a side deleted.
          const picked = new Set<number>();
          for (const change of world.changes) {
            if (mapping.pairs.length === 0) break;
            const index = change.pair % mapping.pairs.length;
            if (picked.has(index)) continue;
            picked.add(index);
            const link = mapping.pairs[index]!;
            const keys = { erp: link.erpId!, crm: link.crmId! };
            const baseline = { erp: expected.erp.get(keys.erp)!, crm: expected.crm.get(keys.crm)! };
            if (change.deleted) {
              const gone = change.deleted;
              await edits(mapping, gone).delete(keys[gone]);
              const restorable = world.fullRun && world.deletionPolicy === 'RESTORE' && (gone === 'crm' ? mapping.writesCrm : mapping.writesErp);
              const survivor = mapping.sides[other(gone)].baseline.get(keys[other(gone)])!;
              const restores = restorable && complete(other(gone), survivor);
              expected[gone].set(keys[gone], null);
              if (restores) {
                // Recreated from the survivor: the fields that flow to the deleted side take its values; the others are not known.
                const restored: Values = {};
                for (const field of mapping.fields) {
                  if (gone === 'crm' && field.toCrm) restored[field.crm] = baseline.erp[field.erp];
                  if (gone === 'erp' && field.toErp) restored[field.erp] = baseline.crm[field.crm];
                }
                expected[gone].set(keys[gone], restored);
              }
              linkChecks.push(async () => {
                const after = await integration.getRepository(IntegrationRecord).findOneByOrFail({ id: link.id });
                if (!world.fullRun || restorable) return assert.deepEqual([after.erpId, after.crmId], [keys.erp, keys.crm], `${mapping.name}: the coupling of ${keys.erp} stays`);
                if (world.deletionPolicy === 'REMOVE_COUPLING')
                  return assert.deepEqual(
                    [after.erpId, after.crmId],
                    [gone === 'erp' ? null : keys.erp, gone === 'crm' ? null : keys.crm],
                    `${mapping.name}: the survivor is uncoupled`,
                  );
                assert.equal(after.lastResult, SyncResult.FAILED, `${mapping.name}: a deletion with policy ${world.deletionPolicy} is reported`);
              });
              continue;
            }
            const changes: Record<Side, Values> = { erp: {}, crm: {} };
            for (const side of ['erp', 'crm'] as const) {
              for (const { field: n, cleared } of side === 'erp' ? change.erpEdit : change.crmEdit) {
                const field = mapping.fields[n % mapping.fields.length];
                if (!field) continue;
                const same = side === 'crm' && change.sameValues && field.erp in changes.erp;
                changes[side][field[side]] = same ? changes.erp[field.erp] : cleared && field.clearable ? null : field.fresh();
              }
            }
            const changed = { erp: false, crm: false };
            for (const side of ['erp', 'crm'] as const) {
              if (Object.keys(changes[side]).length === 0) continue;
              const byEngine = side === 'erp' ? change.erpEditByEngine : change.crmEditByIntegrationUser;
              await edits(mapping, side).update(keys[side], changes[side], stamp(side, byEngine));
              changed[side] = !byEngine;
            }
            if (!change.keepsValues) await integration.getRepository(IntegrationRecord).update({ id: link.id }, { syncedValues: null });
            const current = {
              erp: { ...baseline.erp, ...project(changes.erp, Object.keys(changes.erp)) },
              crm: { ...baseline.crm, ...project(changes.crm, Object.keys(changes.crm)) },
            };
            const erpRead = Object.keys(changes.erp).length > 0;
            const crmRead = Object.keys(changes.crm).length > 0 && !change.crmEditByIntegrationUser;
            if (!world.fullRun && !erpRead && !crmRead) {
              expected.erp.set(keys.erp, current.erp);
              expected.crm.set(keys.crm, current.crm);
              continue;
            }
            const records = { erp: mapping.sides.erp.baseline.get(keys.erp)!, crm: mapping.sides.crm.baseline.get(keys.crm)! };
            const result = merged(mapping, world, current, records, { base: change.keepsValues ? keptValues(link) : null, held: heldFields(link), changed });
            expected.erp.set(keys.erp, result.erp);
            expected.crm.set(keys.crm, result.crm);
          }

          // The pairs nothing happened to: a full run decides those holding fields in conflict again, under this world's policy.
          for (const [index, link] of mapping.pairs.entries()) {
            if (picked.has(index) || !world.fullRun || heldFields(link).size === 0) continue;
            const records = { erp: mapping.sides.erp.baseline.get(link.erpId!)!, crm: mapping.sides.crm.baseline.get(link.crmId!)! };
            const current = { erp: expected.erp.get(link.erpId!)!, crm: expected.crm.get(link.crmId!)! };
            const result = merged(mapping, world, current as { erp: Values; crm: Values }, records, {
              base: keptValues(link),
              held: heldFields(link),
              changed: { erp: false, crm: false },
            });
            expected.erp.set(link.erpId!, result.erp);
            expected.crm.set(link.crmId!, result.crm);
          }

          // New records on either side: like a coupled one (its references, its filters' fields), with copied fields and keys of their own.
          const created: Array<{ from: Side; key: string; values: Values }> = [];
          for (const from of ['erp', 'crm'] as const) {
            const { metadata, key: keyProperty, baseline } = mapping.sides[from];
            for (const record of from === 'erp' ? world.newErp : world.newCrm) {
              if (mapping.pairs.length === 0) break;
              const like = baseline.get(mapping.pairs[record.like % mapping.pairs.length]![from === 'erp' ? 'erpId' : 'crmId']!)!;
              const row: ObjectLiteral = { ...like, [keyProperty]: randomUUID(), ...stamp(from, from === 'crm' && record.byIntegrationUser) };
              for (const field of mapping.fields) row[field[from]] = field.fresh();
              for (const index of metadata.indices.filter((i) => i.isUnique)) {
                const column = index.columns.find((c) => columnsOf(from).includes(c.propertyName)) ?? index.columns.find((c) => editable(c));
                if (column && !columnsOf(from).includes(column.propertyName))
                  row[column.propertyName] = untaken(() => freshValue([column]), new Set([...baseline.values()].map((other) => normal(other[column.propertyName]))));
              }
              await edits(mapping, from).insert(row);
              const key = row[keyProperty] as string;
              expected[from].set(key, project(row, columnsOf(from)));
              const writesOther = from === 'erp' ? mapping.writesCrm : mapping.writesErp;
              // A reference or option the other system requires, missing here, would leave its field empty: the record is skipped.
              const creates = (world.fullRun || !world.syncOnlyCoupledRecords) && writesOther && !(from === 'crm' && record.byIntegrationUser) && complete(from, row);
              if (creates) {
                const values: Values = {};
                for (const field of mapping.fields) if (from === 'erp' ? field.toCrm : field.toErp) values[field[other(from)]] = normal(row[field[from]]);
                created.push({ from, key, values });
              } else {
                linkChecks.push(async () => {
                  const link = await integration.getRepository(IntegrationRecord).findOneBy({ mappingName: mapping.name, [from === 'erp' ? 'erpId' : 'crmId']: key });
                  assert.ok(!link?.[from === 'erp' ? 'crmId' : 'erpId'], `${mapping.name}: no counterpart for the new ${from.toUpperCase()} record ${key}`);
                });
              }
            }
          }

          const result = await gateway.request(RunSyncDocument, { mapping: mapping.name, mode: world.fullRun ? 'FULL' : 'INCREMENTAL' }, gateway.tokens.operator);
          assert.equal(result.errors, undefined, JSON.stringify(result.errors));
          if (products) assert.equal(await catchUpMirrors(), 0, `${mapping.name}: the mirrors hold every version the products hold`);

          for (const { from, key, values } of created) {
            const link = await integration.getRepository(IntegrationRecord).findOneBy({ mappingName: mapping.name, [from === 'erp' ? 'erpId' : 'crmId']: key });
            const counterpart = link?.[from === 'erp' ? 'crmId' : 'erpId'];
            assert.ok(counterpart, `${mapping.name}: the new ${from.toUpperCase()} record ${key} gets a counterpart (${link?.lastResult}: ${link?.lastError})`);
            expected[other(from)].set(counterpart, values);
          }
          for (const check of linkChecks) await check();
          for (const side of ['erp', 'crm'] as const) {
            const { key } = mapping.sides[side];
            const rows = new Map((await repository(side).find()).map((row) => [row[key] as string, row]));
            for (const [id, values] of expected[side]) {
              const row = rows.get(id);
              if (values === null) {
                assert.equal(row, undefined, `${mapping.name}: the ${side.toUpperCase()} record ${id} stays deleted`);
                continue;
              }
              assert.ok(row, `${mapping.name}: the ${side.toUpperCase()} record ${id} exists`);
              assert.deepEqual(project(row, Object.keys(values)), values, `${mapping.name}: the ${side.toUpperCase()} record ${id}`);
            }
            const extra = [...rows.keys()].filter((id) => !expected[side].has(id));
            assert.deepEqual(extra, [], `${mapping.name}: no ${side.toUpperCase()} records beyond those expected`);
          }
        }),
        // Replay a failing world with ORACLE_SEED and ORACLE_PATH as printed.
        { numRuns: worlds, includeErrorInReport: true, seed: process.env.ORACLE_SEED ? Number(process.env.ORACLE_SEED) : undefined, path: process.env.ORACLE_PATH },
      );
    });
  });
}
