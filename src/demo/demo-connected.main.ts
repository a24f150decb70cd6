import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { CrmConnector } from '../connectors/crm.connector';
import { ErpConnector } from '../connectors/erp.connector';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { logger } from '../observability/logger';
import { runProcess } from '../server/process-lifecycle';
import { serveGateway } from '../server/serve';
import { startDemoProducts } from './emulated-products';
import { seedDemoIfEmpty } from './seed-demo-if-empty';
import { seedProducts } from './seed-products';

/**
 * `npm run demo:connected`: the Business Central and Dataverse emulators holding the demo company,
 * and the gateway against them, its ERP and CRM stores now mirrors of the two products.
 */
runProcess(async () => {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.embeddedPostgresDir, config.embeddedPostgresPort);
  const serverUrl = config.databaseUrl ?? embedded!.url;
  const products = await startDemoProducts(serverUrl, {
    businessCentral: Number(process.env.DEMO_BC_PORT ?? 4010),
    dataverse: Number(process.env.DEMO_DATAVERSE_PORT ?? 4011),
  });
  Object.assign(process.env, { DATABASE_URL: serverUrl }, products.environment);
  logger.info({ businessCentral: products.businessCentral.apiUrl, dataverse: products.dataverse.url }, 'emulators started');
  const served = await serveGateway(async (stores, gatewayConfig, log) => {
    await seedDemoIfEmpty(stores, gatewayConfig, log);
    if ((await products.businessCentral.store.count('customers')) > 0) return;
    log('Empty emulators: copying the demo company into Business Central and Dataverse…');
    await seedProducts(
      { erp: new ErpConnector(stores.erp), crm: new CrmConnector(stores.crm) },
      { businessCentral: products.businessCentral.store, dataverse: products.dataverse.store },
    );
  });
  return {
    stopping: served.stopping,
    stop: async () => {
      await served.stop();
      await products.stop();
      await embedded?.stop();
    },
  };
});
