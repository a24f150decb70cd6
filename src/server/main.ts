import 'reflect-metadata';
import { Role } from '../auth/role';
import { loadConfig } from '../config/config';
import { prepareGateway, startWorker } from './bootstrap';
import { startGateway } from './gateway';
import { runProcess } from './process-lifecycle';
import { buildGatewaySchema } from './schema';

async function main() {
  const config = loadConfig();
  const prepared = await prepareGateway(config);
  const gateway = await startGateway({
    schema: await buildGatewaySchema(),
    services: prepared.services,
    port: config.port,
    production: config.nodeEnv === 'production',
    federatedTracing: config.federatedTracing,
    limits: config.limits,
  });
  const worker = config.worker.inProcess ? await startWorker(prepared.services, config.worker) : null;
  console.log(`\nERP ⇄ CRM gateway ready at ${gateway.url} (graphql-ws: ${gateway.wsUrl})`);
  console.log(
    worker
      ? `A background worker runs in this process; more can run beside it: DATABASE_URL=${prepared.databaseUrl} npm run worker`
      : 'No background worker in this process (IN_PROCESS_WORKER=false): start some with `npm run worker`',
  );
  if (prepared.secretGenerated) {
    console.log('\nNo AUTH_JWT_SECRET set: tokens for this run (send as "Authorization: Bearer <token>"):');
    for (const role of Object.values(Role)) {
      console.log(`  ${role.padEnd(8)} ${prepared.services.tokens.issue(`demo-${role}`, [role])}`);
    }
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
