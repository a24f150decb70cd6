import assert from 'node:assert/strict';
import { SystemUser } from '../../entities/crm';
import { encodeUnifiedId } from '../../src/unify/unified-id';
import { SyncRecordsDocument } from '../generated/operations';
import type { TestGateway } from './test-gateway';

/** A coupled demo customer whose coupling keeps every field's value, and a CRM user who is not the integration user. */
export interface SynchronisedCustomer {
  readonly erpId: string;
  readonly crmId: string;
  /** The unified id, on its ERP side. */
  readonly id: string;
  readonly crmUser: string;
}

/**
 * The first coupled customer in sync, synchronised once from the ERP (so its coupling holds the
 * last synchronised value of every field), with the read-model follower stopped so that only
 * the test's own writes change the stores.
 */
export async function synchronisedCustomer(gateway: TestGateway): Promise<SynchronisedCustomer> {
  await gateway.services.readModel.stop();
  const [pair] = await gateway.stores.integration.query(
    `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_code LIMIT 1`,
  );
  const id = encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: pair.erp_id });
  const crmUser = (await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false, isDisabled: false })).id;
  const synced = await gateway.request(SyncRecordsDocument, { ids: [id], direction: 'TO_CRM' }, gateway.tokens.operator);
  assert.equal(synced.errors, undefined, JSON.stringify(synced.errors));
  return { erpId: pair.erp_id, crmId: pair.crm_id, id, crmUser };
}
