import { BUSINESS_CENTRAL_WEBHOOK_PATH } from '../src/mirrors/business-central-webhook';
import { RunSyncDocument } from '../test/generated/operations';
import { findDatabaseServer } from '../test/support/database-server';
import { emulatedProducts } from '../test/support/emulated-systems';
import { freePort } from '../test/support/free-port';
import { eventually } from '../test/support/subscriptions';
import { startTestGateway, TEST_WORKER } from '../test/support/test-gateway';
import { latencies, loadAverage, machine, runBench, writeResults } from './bench-support';

const CHANGES = Number(process.env.BENCH_MIRRORED_CHANGES ?? 20);
/** Business Central sends a notification 30 s after the first change; the emulator is told a shorter delay so that the run stays short, and the delay is taken off. */
const NOTIFICATION_DELAY_MS = Number(process.env.BENCH_NOTIFICATION_DELAY_MS ?? 2_000);

/**
 * How long an ERP change takes to reach the CRM through the products: a customer renamed through
 * Business Central's API, its webhook notification, the ERP mirror's pass, the worker's change
 * propagation, the write to Dataverse, until Dataverse holds the new name.
 */
runBench(async () => {
  const server = await findDatabaseServer();
  process.env.TEST_DATABASE_SERVER = server.url;
  const port = await freePort();
  const products = await emulatedProducts('bench_propagation', {
    notificationUrl: `http://127.0.0.1:${port}${BUSINESS_CENTRAL_WEBHOOK_PATH}`,
    webhookDelayMs: NOTIFICATION_DELAY_MS,
  });
  const gateway = await startTestGateway({ label: 'bench_propagation', customers: 200, products, port, worker: true });
  const measured: number[] = [];
  try {
    // A mapping's changes propagate once it has been synchronised (it has a watermark).
    const first = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
    if (first.errors) throw new Error(JSON.stringify(first.errors));
    gateway.services.systems.businessCentralWebhook!.start();
    await eventually(async () => (products.businessCentral.webhooks.list(products.apps.businessCentral.userId).length >= 4 ? true : undefined), 30_000, 'the subscriptions');
    const user = products.businessCentralUser();
    const pairs: { erp_id: string; crm_id: string }[] = await gateway.stores.integration.query(
      `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_id LIMIT $1`,
      [CHANGES],
    );
    for (const [index, pair] of pairs.entries()) {
      const name = `Propagated ${index} ${Date.now()}`;
      const started = performance.now();
      await user.update('customers', pair.erp_id, { displayName: name }, '*');
      await eventually(
        async () => ((await products.dataverse.store.get('accounts', pair.crm_id))?.data.name === name ? true : undefined),
        NOTIFICATION_DELAY_MS + 30_000,
        `${name} in Dataverse`,
      );
      measured.push(performance.now() - started);
      console.log(`change ${index + 1}: ${Math.round(measured.at(-1)!)} ms`);
    }
  } finally {
    gateway.services.systems.businessCentralWebhook?.stop();
    await gateway.close();
    await products.stop();
    await server.embedded?.stop();
  }
  const beyond = measured.map((ms) => ms - NOTIFICATION_DELAY_MS);
  const { p50, p95 } = latencies(beyond);
  await writeResults(
    'Mirrored propagation: an ERP change reaching the CRM through Business Central and Dataverse (emulated)',
    [
      `\`npm run bench:mirrored-propagation\` — ${machine()}, load average ${loadAverage()} at the end (the machine is shared).`,
      '',
      `${measured.length} customers renamed one after another through Business Central's API (emulated); each is timed until Dataverse (emulated) holds the new name: the webhook notification (sent ${NOTIFICATION_DELAY_MS} ms after the change here; Business Central documents 30 s), the ERP mirror's pass it triggers, the in-process worker's change propagation (change window ${TEST_WORKER.changeWindowMs} ms), the write to Dataverse. No mirror polls during the run: the notification is the only trigger.`,
      '',
      '| beyond the notification delay | p50 | p95 | max |',
      '|---|---:|---:|---:|',
      `| ms | ${p50} | ${p95} | ${Math.round(Math.max(...beyond))} ms |`,
    ].join('\n'),
  );
});
