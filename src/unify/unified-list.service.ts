import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { IntegrationRecord, LISTED } from '../../entities/integration/integration-record.entity';
import type { CountStatement, SqlStatement } from '../loaders/integration.loaders';
import { badInput } from '../errors/domain-error';
import { isUuid } from '../errors/input-checks';
import { decodeCursor, encodeCursor } from '../paging/page-cursor';
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

export interface PageArgs {
  readonly first: number;
  readonly after?: string | null;
  readonly filter?: UnifiedListFilter | null;
}

/** Checks a page's size and decodes where it starts (null: at the beginning). */
export function pagePosition(args: PageArgs): [sortKey: string, id: string] | null {
  if (!Number.isInteger(args.first) || args.first < 0 || args.first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
  return args.after ? (decodeCursor(args.after, 2, ([, id]) => isUuid(id!)) as [string, string]) : null;
}

export function notInstalled(type: Pick<UnifiedType, 'mappingName'>): Error {
  return new Error(`Table mapping ${type.mappingName} is not installed`);
}

/** The LIKE pattern of a search text: lower-cased, its wildcards escaped. */
export function searchPattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
}

/**
 * Pages over one mapping's integration records (every known record of both sides), ordered by
 * number; the caller turns each into a unified record through the request's loaders.
 */
export class UnifiedListService {
  constructor(private readonly integration: DataSource) {}

  async page(type: UnifiedType, args: PageArgs): Promise<UnifiedListPage> {
    return this.pageOf(type, args, await this.ordered(type, args).getMany());
  }

  /**
   * The statement `page` runs, for a read that sends it along with others: the page's rows (every
   * column of `r`, one row more than asked for), in list order; `pageOf` makes the page of them.
   */
  pageStatement(type: UnifiedType, args: PageArgs): SqlStatement {
    const [sql, parameters] = this.ordered(type, args).select('r.*').getQueryAndParameters();
    return { sql, parameters };
  }

  /** The page of the rows `pageStatement` (or `page`) read, in their order. */
  pageOf(type: UnifiedType, args: PageArgs, rows: readonly IntegrationRecord[]): UnifiedListPage {
    const links = rows.slice(0, args.first);
    return {
      links,
      cursors: links.map((link) => encodeCursor(link.sortKey, link.id)),
      hasNextPage: rows.length > args.first,
      totalCount: () => this.count(type, args.filter),
    };
  }

  private ordered(type: UnifiedType, args: PageArgs): SelectQueryBuilder<IntegrationRecord> {
    const after = pagePosition(args);
    const query = this.filtered(type, args.filter ?? {});
    if (after) query.andWhere('(r.sort_key, r.id) > (:afterSortKey, :afterId)', { afterSortKey: after[0], afterId: after[1] });
    return query
      .orderBy('r.sort_key')
      .addOrderBy('r.id')
      .limit(args.first + 1);
  }

  /** Every record the filter matches. */
  count(type: UnifiedType, filter: UnifiedListFilter | null | undefined): Promise<number> {
    return this.filtered(type, filter ?? {}).getCount();
  }

  /** The statement `count` runs, for a read that sends it along with others: its one column is `cnt`. */
  countStatement(type: UnifiedType, filter: UnifiedListFilter | null | undefined): CountStatement {
    const [sql, parameters] = this.filtered(type, filter ?? {})
      .select('COUNT(1)', 'cnt')
      .getQueryAndParameters();
    return { sql, parameters };
  }

  private filtered(type: UnifiedType, filter: UnifiedListFilter): SelectQueryBuilder<IntegrationRecord> {
    const query = this.integration
      .getRepository(IntegrationRecord)
      .createQueryBuilder('r')
      .where('r.mapping_name = :mapping', { mapping: type.mappingName })
      .andWhere(`(${LISTED})`);
    if (filter.search) {
      query.andWhere('(r.erp_search_text LIKE :search OR r.crm_search_text LIKE :search)', { search: searchPattern(filter.search) });
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
