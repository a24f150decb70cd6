import type { ProductTable } from './product-table';

/** A row as the product's API carries it. */
export type ProductRow = Record<string, unknown>;

/** One record to write: our key, the product's id for it when known, the version the mirror holds. */
export interface ProductWrite {
  readonly key: string;
  /** Null when the product does not hold the record yet. */
  readonly productId: string | null;
  /** The ETag the mirror holds: the product refuses the write when the record changed since (412). */
  readonly etag: string | null;
  readonly row: ProductRow;
}

/** A new document and its lines, written together. */
export interface DocumentWrite {
  readonly document: ProductWrite;
  readonly lines: readonly ProductWrite[];
}

/** A version of a record the product holds, as it answered. */
export interface ProductVersion {
  readonly productId: string;
  readonly etag: string | null;
  /** When the product stamped it (`modifiedon`, `lastModifiedDateTime`). */
  readonly modifiedAt: Date;
  /** Who changed it, when the product says (Dataverse's `_modifiedby_value`). */
  readonly modifiedBy: string | null;
  readonly row: ProductRow;
}

/** What a write achieved: the versions written, in the order given, and the error that stopped the rest. */
export interface ProductWriteResult {
  readonly written: readonly (ProductVersion & { readonly key: string })[];
  readonly error: Error | null;
}

/** The documents and lines written, and the error that stopped the rest. */
export interface DocumentWriteResult {
  readonly documents: ProductWriteResult['written'];
  readonly lines: ProductWriteResult['written'];
  readonly error: Error | null;
}

/** One page of a product's change feed. */
export interface ProductChanges {
  readonly upserted: readonly ProductVersion[];
  readonly deleted: readonly string[];
  /** Where the next read starts, once this page is applied; null until the last page. */
  readonly position: string | null;
}

/** Who the gateway is to the product and what it may read: what `testConnection` reports. */
export interface ProductIdentity {
  /** The application user (Dataverse) or the company (Business Central) the credentials reach. */
  readonly identity: string;
  /** The entity set read to prove read permission, and how many rows the read returned (at most 1). */
  readonly readEntitySet: string;
}

/**
 * A real product as the mirror sees it: writes by batch, answered with what the product stamped,
 * and a change feed with a position to resume from. Dataverse and Business Central implement it
 * over their clients.
 */
export interface Product {
  readonly kind: 'dataverse' | 'business-central';
  /** Dataverse names columns in lower case; Business Central in camelCase like ours. */
  readonly lowerCaseFields: boolean;
  write(map: ProductTable, writes: readonly ProductWrite[]): Promise<ProductWriteResult>;
  /** Creates documents with their lines, each all or nothing (Business Central's deep insert); absent where documents are written table by table. */
  writeDocuments?(document: ProductTable, lines: ProductTable, writes: readonly DocumentWrite[]): Promise<DocumentWriteResult>;
  /** Deletes by product id; returns how many existed. */
  delete(map: ProductTable, productIds: readonly string[]): Promise<number>;
  /** Changes since `position` (everything when null); `knownIds` are the ids the mirror holds, for products whose feed carries no deletions. */
  changes(map: ProductTable, position: string | null, knownIds: () => Promise<Set<string>>): AsyncGenerator<ProductChanges>;
  /** The product refused the feed position (an expired or foreign delta link): the feed must be read from the start again. */
  isStalePosition(error: unknown): boolean;
  /** Obtains a token and reads one row of the table's entity set. */
  probe(map: ProductTable): Promise<ProductIdentity>;
}
