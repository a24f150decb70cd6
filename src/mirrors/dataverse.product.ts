import { DataverseClient, type DataverseRecord, type DataverseWrite } from '../connectors/dataverse/dataverse.client';
import { DATAVERSE_MAX_BATCH_OPERATIONS } from '../connectors/dataverse/dataverse-limits';
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

  /** Change tracking: the first read returns every row and a delta link; each later read, what changed and was deleted since. */
  async *changes(map: ProductTable, position: string | null): AsyncGenerator<ProductChanges> {
    for await (const page of this.client.changes(map.entitySet, { deltaLink: position })) {
      yield { upserted: page.upserted.map((row) => version(map, row)), deleted: page.deleted, position: page.deltaLink };
    }
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
