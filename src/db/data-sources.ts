import { DataSource, type DataSourceOptions } from 'typeorm';
import { crmEntities } from '../../entities/crm';
import { erpEntities } from '../../entities/erp';
import { integrationEntities } from '../../entities/integration';
import { crmMigrations, erpMigrations, integrationMigrations } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { StatementCounter } from './statement-counter';
import { connectStore, DEFAULT_CONNECT, type StoreConnectOptions } from './store-connection';

export type StoreName = 'erp' | 'crm' | 'integration';

export interface StoreUrls {
  readonly erp: string;
  readonly crm: string;
  readonly integration: string;
}

/** One TypeORM data source per store: the ERP's, the CRM's and the gateway's own. */
export interface Stores {
  readonly erp: DataSource;
  readonly crm: DataSource;
  readonly integration: DataSource;
  readonly counters: Readonly<Record<StoreName, StatementCounter>>;
}

const definitions: Record<StoreName, { entities: NonNullable<DataSourceOptions['entities']>; migrations: NonNullable<DataSourceOptions['migrations']> }> = {
  erp: { entities: [...erpEntities], migrations: erpMigrations },
  crm: { entities: [...crmEntities], migrations: crmMigrations },
  integration: { entities: [...integrationEntities], migrations: integrationMigrations },
};

export function createDataSource(store: StoreName, url: string, counter: StatementCounter, poolSize = 10, connectTimeoutMs = DEFAULT_CONNECT.timeoutMs): DataSource {
  const { entities, migrations } = definitions[store];
  return new DataSource({
    type: 'postgres',
    url,
    schema: store,
    entities,
    migrations,
    migrationsTableName: `${store}_migrations`,
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    logger: counter,
    logging: ['query', 'error'],
    connectTimeoutMS: connectTimeoutMs,
    // A connection once opened is kept (pg closes one idle for 10 s by default): the compiled reads' statements are prepared per
    // connection, and a new one plans each again, six times before PostgreSQL settles on its generic plan. After a quiet spell, a
    // burst of batches of 1,000 references ran at half the rate, the first statements on each new connection costing 2-4 times as much.
    extra: { max: poolSize, min: poolSize, application_name: `erp-crm-gateway:${store}` },
  });
}

/** Connects to the three stores, creating each schema and applying pending migrations. */
export async function openStores(
  urls: StoreUrls,
  options: { logSql?: boolean; poolSize?: number; connect?: Partial<Omit<StoreConnectOptions, 'variable'>>; variables?: Partial<Record<StoreName, string>> } = {},
): Promise<Stores> {
  const connect = { ...DEFAULT_CONNECT, ...options.connect };
  const counters = {
    erp: new StatementCounter('erp', options.logSql ?? false),
    crm: new StatementCounter('crm', options.logSql ?? false),
    integration: new StatementCounter('integration', options.logSql ?? false),
  };
  const opened: DataSource[] = [];
  try {
    for (const store of ['erp', 'crm', 'integration'] as const) {
      const dataSource = createDataSource(store, urls[store], counters[store], options.poolSize, connect.timeoutMs);
      await connectStore(store === 'integration' ? 'integration' : store.toUpperCase(), dataSource, { ...connect, variable: options.variables?.[store] ?? 'DATABASE_URL' });
      opened.push(dataSource);
      await migrate(dataSource, store);
    }
  } catch (error) {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
    throw error;
  }
  const [erp, crm, integration] = opened as [DataSource, DataSource, DataSource];
  return { erp, crm, integration, counters };
}

/** Advisory lock ids, one per store: gateways starting together migrate one after the other. */
const MIGRATION_LOCKS: Record<StoreName, number> = { erp: 5_335_001, crm: 5_335_002, integration: 5_335_003 };

async function migrate(dataSource: DataSource, store: StoreName): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCKS[store]]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${store}`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCKS[store]]).catch(() => {});
    await runner.release();
  }
}

/** The connection URL a store was opened with (listeners and the job engine open their own connections). */
export function storeUrl(dataSource: DataSource): string {
  return (dataSource.options as { url: string }).url;
}

export async function closeStores(stores: Stores): Promise<void> {
  await Promise.all([stores.erp.destroy(), stores.crm.destroy(), stores.integration.destroy()]);
}
