import type { UnifiedRecord } from './unified-record';

/** A page of unified records as the graph's connections carry it. */
export interface UnifiedConnection {
  readonly edges: readonly { readonly node: UnifiedRecord; readonly cursor: string }[];
  readonly pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  readonly totalCount: Promise<number>;
}
