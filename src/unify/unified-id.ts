import type { SystemName } from '../connectors/system-connector';
import { badInput } from '../errors/domain-error';
import { isUuid, quoted } from '../errors/input-checks';

export interface UnifiedIdParts {
  readonly typeName: string;
  readonly system: SystemName;
  readonly key: string;
}

/**
 * A unified record's id names its type and one side's key: the ERP side's when it has one, so a
 * coupled pair keeps the id of its ERP record. Lookups need no index to find the record.
 */
export function encodeUnifiedId(parts: UnifiedIdParts): string {
  return Buffer.from(`${parts.typeName}:${parts.system}:${parts.key}`).toString('base64url');
}

export function decodeUnifiedId(id: string): UnifiedIdParts {
  const [typeName, system, key, ...rest] = Buffer.from(id, 'base64url').toString('utf8').split(':');
  if (!typeName || (system !== 'erp' && system !== 'crm') || !key || !isUuid(key) || rest.length > 0) {
    throw badInput(`${quoted(id)} is not an id issued by this gateway`, { argument: 'id' });
  }
  return { typeName, system, key };
}
