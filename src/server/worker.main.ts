import 'reflect-metadata';
import { TokenService } from '../auth/tokens';
import { ConfigError, loadConfig } from '../config/config';
import { closeStores, openStores } from '../db/data-sources';
import { installStandardMappings } from '../mappings/mapping-installer';
import { createServices, startWorker } from './bootstrap';
import { runProcess } from './process-lifecycle';
import { logger, setLogBufferLimit, setLogLevel } from '../observability/logger';

/** `npm run worker`: a stand-alone background worker; any number may run, on any machine. */
async function main() {
  const config = loadConfig(process.env, { servesRequests: false });
  setLogLevel(config.logLevel);
  setLogBufferLimit(config.logBufferBytes);
  if (!config.databaseUrl) throw new ConfigError('a stand-alone worker needs DATABASE_URL (the gateway prints the embedded one when it starts)');
  const stores = await openStores(
    { erp: config.erpDatabaseUrl ?? config.databaseUrl, crm: config.crmDatabaseUrl ?? config.databaseUrl, integration: config.databaseUrl },
    { logSql: config.logSql, connect: config.databaseConnect, variables: config.databaseConnect.variables },
  );
  await installStandardMappings(stores.integration);
  // The worker serves no requests, so no token it could check is ever issued.
  const services = createServices(stores, TokenService.generateSecret(), { runsWorker: true, syncChunkSize: config.worker.syncChunkSize, systems: config.systems });
  const worker = await startWorker(services, config.worker);
  logger.info(`Worker ${process.pid} started: full-synchronisation jobs, incremental runs, change notifications`);

  return {
    stopping: 'finishing the chunk under way…',
    stop: async () => {
      await worker.stop();
      await services.close();
      await closeStores(stores);
    },
  };
}

runProcess(main);
