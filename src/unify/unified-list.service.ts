import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { IntegrationRecord, LISTED } from '../../entities/integration/integration-record.entity';
import { badInput } from '../errors/domain-error';
import { syncStateSql, type SyncState } from './sync-state';
import type { UnifiedType } from './unified-types';

export interface UnifiedListFilter {
  /** Case-insensitive text in either side's number or name. */
  readonly search?: string | null;
  readonly syncState?: SyncState | null;
  readonly coupled?: boolean | null;
  /** Records changed on either side at or after this time. */
  readonly modifiedSince?: Date | null;
}

export interface UnifiedListPage {
  readonly links: readonly IntegrationRecord[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
  /** Counts all matches; a separate statement, run only when asked for. */
  readonly totalCount: () => Promise<number>;
}

export const MAX_PAGE_SIZE = 1_000;

function encodeCursor(link: IntegrationRecord): string {
  return Buffer.from(JSON.stringify([link.sortKey, link.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && /^[0-9a-f-]{36}$/i.test(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    // falls through to the error below
  }
  throw badInput(`"${cursor}" is not a cursor issued by this gateway`, { argument: 'after' });
}

/**
 * Pages over one mapping's integration records (every known record of both sides), ordered by
 * number; the caller turns each into a unified record through the request's loaders.
 */
export class UnifiedListService {
  constructor(private readonly integration: DataSource) {}

  async page(type: UnifiedType, args: { first: number; after?: string | null; filter?: UnifiedListFilter | null }): Promise<UnifiedListPage> {
    if (!Number.isInteger(args.first) || args.first < 0 || args.first > MAX_PAGE_SIZE) {
      throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
    }
    const after = args.after ? decodeCursor(args.after) : null;
    const query = this.filtered(type, args.filter ?? {});
    if (after) query.andWhere('(r.sort_key, r.id) > (:afterSortKey, :afterId)', { afterSortKey: after[0], afterId: after[1] });
    const rows = await query.orderBy('r.sort_key').addOrderBy('r.id').limit(args.first + 1).getMany();
    const links = rows.slice(0, args.first);
    return {
      links,
      cursors: links.map(encodeCursor),
      hasNextPage: rows.length > args.first,
      totalCount: () => this.filtered(type, args.filter ?? {}).getCount(),
    };
  }

  private filtered(type: UnifiedType, filter: UnifiedListFilter): SelectQueryBuilder<IntegrationRecord> {
    const query = this.integration
      .getRepository(IntegrationRecord)
      .createQueryBuilder('r')
      .where('r.mapping_name = :mapping', { mapping: type.mappingName })
      .andWhere(`(${LISTED})`);
    if (filter.search) {
      const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
      query.andWhere('(r.erp_search_text LIKE :search OR r.crm_search_text LIKE :search)', { search: pattern });
    }
    if (filter.syncState) query.andWhere(`${syncStateSql('r')} = :syncState`, { syncState: filter.syncState });
    if (filter.coupled === true) query.andWhere('r.erp_id IS NOT NULL AND r.crm_id IS NOT NULL');
    if (filter.coupled === false) query.andWhere('(r.erp_id IS NULL OR r.crm_id IS NULL)');
    if (filter.modifiedSince) {
      query.andWhere('GREATEST(r.erp_modified_at, r.crm_modified_at) >= :modifiedSince', { modifiedSince: filter.modifiedSince });
    }
    return query;
  }
}
