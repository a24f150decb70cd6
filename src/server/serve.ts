import { loadConfig } from '../config/config';
import { logger, setLogBufferLimit, setLogLevel } from '../observability/logger';
import { developmentBanner } from './banner';
import { prepareGateway, startWorker, type DataPreparation } from './bootstrap';
import { CONSOLE_PATH } from './console-route';
import { startGateway } from './gateway';
import { buildGatewaySchema } from './schema';

/**
 * Starts the gateway from the environment's configuration: its stores, the HTTP and WebSocket
 * server, and (unless configured out) the in-process worker; returns how the process stops it.
 */
export async function serveGateway(prepareData?: DataPreparation): Promise<{ stopping: string; stop: () => Promise<void> }> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  setLogBufferLimit(config.logBufferBytes);
  const prepared = await prepareGateway(config, prepareData);
  const production = config.nodeEnv === 'production';
  const demoTokens = prepared.secretGenerated ? prepared.services.tokens.issueOnePerRole('demo') : undefined;
  const gateway = await startGateway({
    schema: await buildGatewaySchema(),
    services: prepared.services,
    port: config.port,
    production,
    federatedTracing: config.federatedTracing,
    console: { demoTokens },
    limits: config.limits,
    drainMs: config.shutdownDrainMs,
  });
  const worker = config.worker.inProcess ? await startWorker(prepared.services, config.worker) : null;
  // Subscribing needs the notification URL to answer Business Central's handshake: the port is open now.
  prepared.services.systems.businessCentralWebhook?.start();
  logger.info({ url: gateway.url, wsUrl: gateway.wsUrl, worker: worker !== null, nodeEnv: config.nodeEnv }, 'gateway ready');
  if (!production) {
    process.stdout.write(
      developmentBanner({
        url: gateway.url,
        wsUrl: gateway.wsUrl,
        consoleUrl: `http://localhost:${gateway.port}${CONSOLE_PATH}`,
        worker: worker !== null,
        databaseUrl: prepared.databaseUrl,
        embedded: config.databaseUrl === null,
        demoTokens,
      }),
    );
  }

  return {
    stopping: 'draining requests and connections…',
    stop: async () => {
      await gateway.stop();
      await worker?.stop();
      await prepared.close();
    },
  };
}
