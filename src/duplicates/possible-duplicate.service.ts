import type { DataSource } from 'typeorm';
import type { SyncDirection } from '../../entities/integration/sync-direction';
import type { SyncJob } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { SystemName } from '../connectors/system-connector';
import { badInput, notFound } from '../errors/domain-error';
import { isUuid, quoted, requireUuid } from '../errors/input-checks';
import { decodeCursor, encodeCursor, isTime } from '../paging/page-cursor';
import { decodeUnifiedId, encodeUnifiedId } from '../unify/unified-id';
import { unifiedTypes, type UnifiedType } from '../unify/unified-types';
import type { DuplicateCandidate } from './duplicate-candidates';
import type { DuplicateQueue, QueuedDuplicate } from './duplicate-queue';

export enum DuplicateAction {
  /** Couple the held record with the chosen candidate, and synchronise the pair. */
  COUPLE = 'COUPLE',
  /** Not a duplicate of its candidates: create its counterpart now. */
  CREATE = 'CREATE',
  /** Not a duplicate of the chosen candidate (all of them when none is chosen): off the queue, never held for it again. */
  IGNORE = 'IGNORE',
}

/** A held record as a client sees it: unified ids for the record and its candidates. */
export interface PossibleDuplicate {
  readonly id: string;
  readonly mappingName: string;
  readonly recordId: string;
  /** The system the record is in; its counterpart would have been created in the other. */
  readonly side: SystemName;
  readonly heldAt: Date;
  readonly jobId: string | null;
  readonly candidates: ReadonlyArray<DuplicateCandidate & { readonly recordId: string }>;
}

export interface PossibleDuplicatePage {
  readonly items: readonly PossibleDuplicate[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
  readonly totalCount: () => Promise<number>;
}

export interface DuplicateResolution {
  readonly action: DuplicateAction;
  /** The held record's id; after COUPLE, the coupled pair's. */
  readonly recordId: string;
  /** COUPLE's coupling job, or null. */
  readonly job: SyncJob | null;
  /** The synchronisation COUPLE and CREATE ran. */
  readonly syncJob: SyncJob | null;
}

/** What resolving needs of couplings (CouplingService). */
export interface Couplings {
  couple(erpRecordId: string, crmRecordId: string, requestedBy: string): Promise<{ readonly id: string; readonly job: SyncJob }>;
}

/** What resolving needs of record synchronisation (RecordSyncService). */
export interface RecordSync {
  syncRecords(ids: readonly string[], direction: SyncDirection | null, requestedBy: string, options?: { createUncoupled?: boolean }): Promise<SyncJob[]>;
}

const MAX_PAGE_SIZE = 1_000;

/**
 * The duplicate review queue as operators see it: records a sync held instead of creating their
 * counterpart (see DuplicateReview), listed with their candidates, and resolved one by one. Every
 * argument is checked before anything is written.
 */
export class PossibleDuplicateService {
  constructor(
    private readonly integration: DataSource,
    private readonly queue: DuplicateQueue,
    private readonly coupling: Couplings,
    private readonly recordSync: RecordSync,
  ) {}

  async page(mappingName: string, first: number, after: string | null): Promise<PossibleDuplicatePage> {
    const type = await this.typeOf(mappingName);
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
    const position = after ? decodeCursor(after, 2, ([heldAt, id]) => isTime(heldAt!) && isUuid(id)) : null;
    const rows = await this.queue.page(mappingName, first + 1, position && { heldAt: position[0]!, id: position[1]! });
    const items = rows.slice(0, first);
    return {
      items: items.map((row) => this.shown(type, row)),
      cursors: items.map((row) => encodeCursor(row.heldAt.toISOString(), row.id)),
      hasNextPage: rows.length > first,
      totalCount: () => this.queue.count(mappingName),
    };
  }

  async resolve(
    id: string,
    action: DuplicateAction,
    chosen: { erpId?: string | null; crmId?: string | null },
    syncDirection: SyncDirection | null,
    by: string,
  ): Promise<DuplicateResolution> {
    requireUuid(id, 'id');
    const held = await this.queue.find(this.integration.manager, id);
    if (!held) throw notFound(`No record held for duplicate review with id ${quoted(id)}`, { argument: 'id' });
    const type = await this.typeOf(held.mappingName);
    const candidate = this.chosenCandidate(type, held, chosen);
    const recordId = this.unifiedId(type, held.side, held.key);
    if (action === DuplicateAction.COUPLE) {
      const key = candidate ?? (held.candidates.length === 1 ? held.candidates[0]!.key : null);
      if (!key) throw badInput(`Choose the candidate to couple with (${held.side === 'erp' ? 'crmId' : 'erpId'})`, { argument: held.side === 'erp' ? 'crmId' : 'erpId' });
      const other: SystemName = held.side === 'erp' ? 'crm' : 'erp';
      const ids = { [held.side]: recordId, [other]: this.unifiedId(type, other, key) } as Record<SystemName, string>;
      const coupled = await this.coupling.couple(ids.erp, ids.crm, by);
      await this.queue.remove(this.integration.manager, held.mappingName, [held, { side: other, key }]);
      const [syncJob] = await this.recordSync.syncRecords([coupled.id], syncDirection, by);
      return { action, recordId: coupled.id, job: coupled.job, syncJob: syncJob ?? null };
    }
    if (syncDirection) throw badInput('syncDirection goes with COUPLE only', { argument: 'syncDirection' });
    if (action === DuplicateAction.CREATE && candidate)
      throw badInput('CREATE creates the record whatever its candidates: choose none', { argument: held.side === 'erp' ? 'crmId' : 'erpId' });
    const dismissed = await this.integration.transaction(async (manager) => {
      const locked = await this.queue.find(manager, id, true);
      if (locked) await this.queue.dismiss(manager, locked, candidate ? [candidate] : locked.candidates.map((c) => c.key), by);
      return locked !== null;
    });
    if (!dismissed) throw notFound(`The record held with id ${quoted(id)} was resolved meanwhile`, { argument: 'id' });
    if (action === DuplicateAction.IGNORE) return { action, recordId, job: null, syncJob: null };
    const [syncJob] = await this.recordSync.syncRecords([recordId], null, by, { createUncoupled: true });
    return { action, recordId, job: null, syncJob: syncJob ?? null };
  }

  /** The candidate key the operator chose, checked to be one of the held record's; null when none was given. */
  private chosenCandidate(type: UnifiedType, held: QueuedDuplicate, chosen: { erpId?: string | null; crmId?: string | null }): string | null {
    const [wanted, unwanted] = held.side === 'erp' ? (['crmId', 'erpId'] as const) : (['erpId', 'crmId'] as const);
    if (chosen[unwanted]) throw badInput(`The held record is in the ${held.side.toUpperCase()}: its candidates are chosen by ${wanted}`, { argument: unwanted });
    const id = chosen[wanted];
    if (!id) return null;
    const parts = decodeUnifiedId(id);
    const candidate = held.candidates.find((c) => c.key === parts.key);
    if (parts.typeName !== type.typeName || parts.system === held.side || !candidate)
      throw badInput(`${quoted(id)} is not one of the held record's candidates`, { argument: wanted });
    return candidate.key;
  }

  private shown(type: UnifiedType, row: QueuedDuplicate): PossibleDuplicate {
    const other: SystemName = row.side === 'erp' ? 'crm' : 'erp';
    return {
      id: row.id,
      mappingName: row.mappingName,
      recordId: this.unifiedId(type, row.side, row.key),
      side: row.side,
      heldAt: row.heldAt,
      jobId: row.jobId,
      candidates: row.candidates.map((candidate) => ({ ...candidate, recordId: this.unifiedId(type, other, candidate.key) })),
    };
  }

  private unifiedId(type: UnifiedType, system: SystemName, key: string): string {
    return encodeUnifiedId({ typeName: type.typeName, system, key });
  }

  private async typeOf(mappingName: string): Promise<UnifiedType> {
    const type = Object.values(unifiedTypes as Record<string, UnifiedType>).find((t) => t.mappingName === mappingName);
    if (!type || !(await this.integration.getRepository(TableMapping).existsBy({ name: mappingName })))
      throw notFound(`No table mapping named ${quoted(mappingName)}`, { argument: 'mapping' });
    return type;
  }
}
