import { eventually } from './subscriptions';
import type { TestGateway } from './test-gateway';

/** A customer in sync edited on both sides at once, which the gateway's worker then reports as a conflict: its integration record. */
export async function freshConflict(gateway: TestGateway): Promise<{ id: string; erpId: string; crmId: string }> {
  const { erp, crm, integration } = gateway.stores;
  // Not one an earlier call edited: its CRM side holds the CRM's edit already, so editing it again would change one side only.
  const [pair] = await integration.query(
    `SELECT id, erp_id AS "erpId", crm_id AS "crmId" FROM integration.integration_record
      WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS'
        AND coalesce(synced_values, '') NOT LIKE '%Edited in the%' ORDER BY erp_code LIMIT 1`,
  );
  const [{ id: salesUser }] = await crm.query(`SELECT id FROM crm.system_user WHERE NOT is_integration_user LIMIT 1`);
  await erp.transaction(async (manager) => {
    await manager.query(`UPDATE erp.customer SET name = 'Edited in the ERP', modified_at = now(), modified_by = 'ERP USER' WHERE system_id = $1`, [pair.erpId]);
    await manager.query(`UPDATE crm.account SET name = 'Edited in the CRM', modified_at = now(), modified_by = $2 WHERE id = $1`, [pair.crmId, salesUser]);
  });
  await eventually(async () => ((await lastResult(gateway, pair.id)) === 'CONFLICT' ? true : undefined), 15_000, 'the conflict to be reported');
  return pair;
}

export async function lastResult(gateway: TestGateway, linkId: string): Promise<string | null> {
  return (await gateway.stores.integration.query(`SELECT last_result FROM integration.integration_record WHERE id = $1`, [linkId]))[0].last_result;
}

/**
 * Calls `request` while the mapping's lock is held elsewhere, as a run under way holds it, and lets
 * the lock go once the gateway has queued a job behind it (`until: 'queued'`, for a request that
 * answers only when its job has run) or once `request` has answered; returns what it answered.
 */
export async function whileMappingBusy<T>(gateway: TestGateway, mappingName: string, request: () => Promise<T>, until: 'queued' | 'answered' = 'queued'): Promise<T> {
  const holder = gateway.stores.integration.createQueryRunner();
  await holder.connect();
  let requested: Promise<T>;
  try {
    await holder.query(`SELECT pg_advisory_lock(hashtext($1))`, [`sync:${mappingName}`]);
    const waiting = async () => Number((await holder.query(`SELECT count(*) AS n FROM integration.sync_job WHERE mapping_name = $1 AND status = 'WAITING'`, [mappingName]))[0].n);
    const before = await waiting();
    requested = request();
    if (until === 'answered') await requested;
    else await eventually(async () => ((await waiting()) > before ? true : undefined), 10_000, `a job to wait behind the run of ${mappingName}`);
  } finally {
    await holder.query(`SELECT pg_advisory_unlock_all()`);
    await holder.release();
  }
  return requested;
}
