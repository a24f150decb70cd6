import type { SystemName } from '../connectors/system-connector';
import { ERP_WRITER } from './sync-decision';
import type { RunContext } from './sync-run';

/** Who the engine writes to a system as: the CRM's integration user, and ERP_WRITER in the ERP. */
export function writerTo(run: RunContext, to: SystemName): string {
  return to === 'crm' ? (run.rules.integrationUserId ?? ERP_WRITER) : ERP_WRITER;
}
