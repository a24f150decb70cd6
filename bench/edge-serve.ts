import 'reflect-metadata';
import { Role } from '../src/auth/role';
import { createServices } from '../src/server/bootstrap';
import { startGateway } from '../src/server/gateway';
import { buildGatewaySchema } from '../src/server/schema';
import { openBenchStores } from './bench-support';

/**
 * A gateway on an existing bench database, for `npm run bench:edge` to load from outside:
 * `node edge-serve.js <server url> <database>` prints "ready <url> <viewer token>". The same file
 * is compiled against the branch's base, so both are measured in one run.
 */
async function main(): Promise<void> {
  const [serverUrl, database] = process.argv.slice(2);
  const stores = await openBenchStores(serverUrl!, database!);
  const services = createServices(stores, 'bench-secret-bench-secret-bench-secret!');
  const gateway = await startGateway({ schema: await buildGatewaySchema(), services, port: 0, host: '127.0.0.1', production: true });
  console.log(`ready ${gateway.url} ${services.tokens.issue('bench', [Role.VIEWER])}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
