import 'reflect-metadata';
import { Role } from '../auth/role';
import { loadConfig } from '../config/config';
import { prepareGateway, startWorker } from './bootstrap';
import { CONSOLE_PATH } from './console-route';
import { startGateway } from './gateway';
import { runProcess } from './process-lifecycle';
import { buildGatewaySchema } from './schema';

async function main() {
  const config = loadConfig();
  const prepared = await prepareGateway(config);
  const demoTokens = prepared.secretGenerated ? prepared.services.tokens.issueOnePerRole('demo') : undefined;
  const gateway = await startGateway({
    schema: await buildGatewaySchema(),
    services: prepared.services,
    port: config.port,
    production: config.nodeEnv === 'production',
    federatedTracing: config.federatedTracing,
    console: { demoTokens },
    limits: config.limits,
  });
  const worker = config.worker.inProcess ? await startWorker(prepared.services, config.worker) : null;
  console.log(`\nERP ⇄ CRM gateway ready at ${gateway.url} (graphql-ws: ${gateway.wsUrl})`);
  console.log(`The unified index follows both systems; ${gateway.url.replace(/\/graphql$/, '/readyz')} answers 200 once its start-up catch-up is complete`);
  console.log(
    worker
      ? `A background worker runs in this process; more can run beside it: DATABASE_URL=${prepared.databaseUrl} npm run worker`
      : 'No background worker in this process (IN_PROCESS_WORKER=false): start some with `npm run worker`',
  );
  console.log(`Operator console: http://localhost:${gateway.port}${CONSOLE_PATH}`);
  if (demoTokens) {
    console.log('\nNo AUTH_JWT_SECRET set: tokens for this run (send as "Authorization: Bearer <token>"; the console offers them too):');
    for (const role of Object.values(Role)) console.log(`  ${role.padEnd(8)} ${demoTokens[role]}`);
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

runProcess(main);
