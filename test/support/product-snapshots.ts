import { Client } from 'pg';
import type { EmulatedProducts } from './emulated-systems';

const SNAPSHOT_SUFFIX = '_snapshot';

/** Runs `statements` in each emulator's database, with `{schema}` naming its rows' schema. */
async function inEachProduct(products: EmulatedProducts, statements: (schema: string) => string): Promise<void> {
  for (const [url, schema] of [
    [products.databaseUrls.businessCentral, 'business_central'],
    [products.databaseUrls.dataverse, 'dataverse'],
  ] as const) {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statements(schema));
    } finally {
      await client.end();
    }
  }
}

/**
 * Both emulators' rows and tombstones as they are now, put back by `restore`: their versions and
 * modified-at too, so a mirror whose feed positions are put back with them finds nothing new. The
 * version sequence goes on, so a later write never reuses a version a feed position has passed.
 */
export async function snapshotProducts(products: EmulatedProducts): Promise<{ restore(): Promise<void> }> {
  await inEachProduct(
    products,
    (schema) => `DROP SCHEMA IF EXISTS ${schema}${SNAPSHOT_SUFFIX} CASCADE; CREATE SCHEMA ${schema}${SNAPSHOT_SUFFIX};
      CREATE TABLE ${schema}${SNAPSHOT_SUFFIX}.record AS SELECT * FROM ${schema}.record;
      CREATE TABLE ${schema}${SNAPSHOT_SUFFIX}.tombstone AS SELECT * FROM ${schema}.tombstone;`,
  );
  return {
    restore: () =>
      inEachProduct(
        products,
        (schema) => `TRUNCATE ${schema}.record, ${schema}.tombstone;
          INSERT INTO ${schema}.record SELECT * FROM ${schema}${SNAPSHOT_SUFFIX}.record;
          INSERT INTO ${schema}.tombstone SELECT * FROM ${schema}${SNAPSHOT_SUFFIX}.tombstone;`,
      ),
  };
}
