import { SyncDirection } from '../../entities/integration/sync-direction';
import type { SyncJob } from '../../entities/integration/sync-job.entity';
import type { SystemName } from '../connectors/system-connector';
import { badInput } from '../errors/domain-error';
import { decodeUnifiedId } from '../unify/unified-id';
import { unifiedType } from '../unify/unified-types';
import type { SyncEngine } from './sync-engine';

const MAX_RECORDS = 1_000;

/** Synchronises chosen unified records now: one job per table mapping they belong to. */
export class RecordSyncService {
  constructor(private readonly engine: SyncEngine) {}

  /** With `createUncoupled`, uncoupled records get a counterpart even where the mapping synchronises coupled records only. */
  async syncRecords(ids: readonly string[], direction: SyncDirection | null, requestedBy: string, options: { createUncoupled?: boolean } = {}): Promise<SyncJob[]> {
    if (ids.length === 0 || ids.length > MAX_RECORDS) throw badInput(`Give between 1 and ${MAX_RECORDS} ids`, { argument: 'ids' });
    const byMapping = new Map<string, Record<SystemName, string[]>>();
    for (const id of ids) {
      const { typeName, system, key } = decodeUnifiedId(id);
      const type = unifiedType(typeName);
      if (!type) throw badInput(`"${id}" is not the id of a synchronised record`, { argument: 'ids' });
      const keys = byMapping.get(type.mappingName) ?? { erp: [], crm: [] };
      keys[system].push(key);
      byMapping.set(type.mappingName, keys);
    }
    const forced = direction === SyncDirection.TO_CRM ? 'crm' : direction === SyncDirection.FROM_CRM ? 'erp' : null;
    const jobs: SyncJob[] = [];
    for (const [mappingName, keys] of byMapping) jobs.push(await this.engine.syncRecords(mappingName, keys, forced, requestedBy, options.createUncoupled ?? false));
    return jobs;
  }
}
