import type { DomainRecord } from '../connectors/system-connector';
import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import type { SyncState } from './sync-state';

/**
 * One record as the graph shows it: both sides (either may be missing), the integration record
 * that couples them, and the merged field values taken from the side that owns each field.
 */
export interface UnifiedRecord<E extends DomainRecord = DomainRecord, C extends DomainRecord = DomainRecord> {
  readonly id: string;
  readonly typeName: string;
  readonly mappingName: string;
  readonly erp: E | null;
  readonly crm: C | null;
  /** The integration record of this pair or single side, if the gateway has one. */
  readonly link: IntegrationRecord | null;
  /** The link when it couples both sides. */
  readonly coupling: IntegrationRecord | null;
  readonly syncState: SyncState;
  readonly [mergedField: string]: unknown;
}
