import { DataverseClient, type DataverseRecord, type DataverseWrite } from '../connectors/dataverse/dataverse.client';
import { DATAVERSE_MAX_BATCH_OPERATIONS } from '../connectors/dataverse/dataverse-limits';
import { WebApiError } from '../connectors/web-api/web-api-error';
import type { Product, ProductChanges, ProductIdentity, ProductVersion, ProductWrite, ProductWriteResult } from './product';
import type { ProductTable } from './product-table';

function version(map: ProductTable, row: DataverseRecord): ProductVersion {
  return {
    productId: String(row[map.keyColumn!]),
    etag: (row['@odata.etag'] as string | undefined) ?? null,
    modifiedAt: new Date(String(row.modifiedon)),
    modifiedBy: (row._modifiedby_value as string | undefined) ?? null,
    row,
  };
}

/**
 * Dataverse through its Web API: records keep our ids (Dataverse takes client-chosen ids), so a
 * create sent again after a lost answer writes the same row; a record the mirror holds is
 * updated only in the version the mirror holds (`If-Match`). Writes go in change sets of up to
 * 1,000, each all or nothing, and answer with the rows as stored.
 */
export class DataverseProduct implements Product {
  readonly kind = 'dataverse' as const;
  readonly lowerCaseFields = true;

  constructor(readonly client: DataverseClient) {}

  async write(map: ProductTable, writes: readonly ProductWrite[]): Promise<ProductWriteResult> {
    const written: (ProductVersion & { key: string })[] = [];
    for (let start = 0; start < writes.length; start += DATAVERSE_MAX_BATCH_OPERATIONS) {
      const chunk = writes.slice(start, start + DATAVERSE_MAX_BATCH_OPERATIONS);
      const changeSet: DataverseWrite[] = chunk.map((write) => ({
        method: 'PATCH',
        entitySet: map.entitySet,
        id: write.productId ?? write.key,
        record: write.row,
        ifMatch: write.etag ?? undefined,
        returnRepresentation: true,
      }));
      const [result] = await this.client.writeChangeSets([changeSet]);
      if (!result!.ok) return { written, error: result!.error };
      result!.rows.forEach((row, index) => written.push({ key: chunk[index]!.key, ...version(map, row!) }));
    }
    return { written, error: null };
  }

  /** One change set per row in `$batch`es of up to 1,000: a row already gone (404) does not stop the others. */
  async delete(map: ProductTable, productIds: readonly string[]): Promise<number> {
    const results = await this.client.writeChangeSets(productIds.map((id) => [{ method: 'DELETE' as const, entitySet: map.entitySet, id }]));
    let existed = 0;
    for (const result of results) {
      if (result.ok) existed += 1;
      else if (result.error.kind !== 'not-found') throw result.error;
    }
    return existed;
  }

  /**
   * Change tracking: the first read returns every row and a delta link; each later read, what
   * changed and was deleted since. A first read after the mirror already held rows (its delta link
   * was refused) also reports the rows it no longer finds as deleted.
   */
  async *changes(map: ProductTable, position: string | null, knownIds: () => Promise<Set<string>>): AsyncGenerator<ProductChanges> {
    const seen = position === null ? new Set<string>() : null;
    let last: string | null = null;
    for await (const page of this.client.changes(map.entitySet, { deltaLink: position })) {
      const upserted = page.upserted.map((row) => version(map, row));
      for (const row of upserted) seen?.add(row.productId);
      if (seen && page.deltaLink) {
        last = page.deltaLink;
        yield { upserted, deleted: page.deleted, position: null };
      } else yield { upserted, deleted: page.deleted, position: page.deltaLink };
    }
    if (seen) yield { upserted: [], deleted: [...(await knownIds())].filter((id) => !seen.has(id)), position: last };
  }

  /** Dataverse keeps changes for a limited time and then refuses the delta link; a link of another environment URL is refused before it is sent. */
  isStalePosition(error: unknown): boolean {
    return error instanceof TypeError || (error instanceof WebApiError && (error.status === 400 || error.status === 410));
  }

  async probe(map: ProductTable): Promise<ProductIdentity> {
    const me = await this.client.whoAmI();
    let read = 0;
    for await (const page of this.client.list(map.entitySet, { pageSize: 1, select: [map.keyColumn!] })) {
      read = page.length;
      break;
    }
    return { identity: `application user ${me.UserId} (organization ${me.OrganizationId})`, readEntitySet: `${map.entitySet}: ${read} row read` };
  }
}
