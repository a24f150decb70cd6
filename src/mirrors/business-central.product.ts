import { BUSINESS_CENTRAL_MAX_BATCH } from '../connectors/business-central/business-central-limits';
import { BusinessCentralClient, type BcRecord } from '../connectors/business-central/business-central.client';
import { odataError } from '../connectors/web-api/web-api-error';
import type { DocumentWrite, DocumentWriteResult, Product, ProductChanges, ProductIdentity, ProductVersion, ProductWrite, ProductWriteResult } from './product';
import { productField, type ProductTable } from './product-table';

function version(row: BcRecord): ProductVersion {
  return {
    productId: String(row.id),
    etag: (row['@odata.etag'] as string | undefined) ?? null,
    modifiedAt: new Date(String(row.lastModifiedDateTime)),
    modifiedBy: null,
    row,
  };
}

/**
 * Business Central through its API v2.0. BC chooses a new record's id, so a record is created by
 * its number or code (looked up first, and again after a lost answer: no duplicate) and the
 * mirror keeps BC's id next to ours; updates go in `$batch` requests of up to 100, each in the
 * version the mirror holds (`If-Match`).
 */
export class BusinessCentralProduct implements Product {
  readonly kind = 'business-central' as const;
  readonly lowerCaseFields = false;

  constructor(readonly client: BusinessCentralClient) {}

  async write(map: ProductTable, writes: readonly ProductWrite[]): Promise<ProductWriteResult> {
    const written: (ProductVersion & { key: string })[] = [];
    const creates = writes.filter((write) => write.productId === null);
    if (creates.length > 0 && map.document) {
      const error = await this.createLines(map, creates, written);
      if (error) return { written, error };
    } else if (creates.length > 0) {
      const naturalKey = productField(map, map.naturalKey!, false);
      const results = await this.client.createMany(
        map.entitySet,
        creates.map((write) => write.row),
        naturalKey,
      );
      for (const [index, result] of results.entries()) {
        if (!result.ok) return { written, error: result.error };
        // A record holding the number already (typed in BC, or created by a run whose answer was lost) is ours now: write our values over it.
        const record = result.existed ? await this.client.update(map.entitySet, String(result.record.id), creates[index]!.row, '*') : result.record;
        written.push({ key: creates[index]!.key, ...version(record) });
      }
    }
    const updates = writes.filter((write) => write.productId !== null);
    for (let start = 0; start < updates.length; start += BUSINESS_CENTRAL_MAX_BATCH) {
      const chunk = updates.slice(start, start + BUSINESS_CENTRAL_MAX_BATCH);
      const answers = await this.client.batch(
        chunk.map((write) => ({ method: 'PATCH' as const, url: this.client.entityUrl(map.entitySet, write.productId!), body: write.row, etag: write.etag ?? '*' })),
      );
      for (const [index, answer] of answers.entries()) {
        if (answer.status >= 300 || !answer.body) return { written, error: odataError(answer.status, JSON.stringify(answer.body ?? {})) };
        written.push({ key: chunk[index]!.key, ...version(answer.body) });
      }
    }
    return { written, error: null };
  }

  /**
   * New lines of documents BC holds, posted to each document's lines (`salesOrders(id)/salesOrderLines`);
   * a line its document holds already under the same sequence (a lost answer) is written over instead.
   */
  private async createLines(map: ProductTable, creates: readonly ProductWrite[], written: (ProductVersion & { key: string })[]): Promise<Error | null> {
    const document = map.document!;
    const sequence = productField(map, map.documentKey!, false);
    const numbers = [...new Set(creates.map((write) => String(write.row[document.numberField])))];
    const documentIds = new Map((await this.client.findBy(document.entitySet, 'number', numbers)).map((row) => [String(row.number), String(row.id)]));
    const held =
      documentIds.size === 0
        ? []
        : await this.client.findBy(
            map.entitySet,
            'documentId',
            [...documentIds.values()].map((guid) => ({ guid })),
          );
    const heldLine = new Map(held.map((row) => [`${String(row.documentId)}/${String(row[sequence])}`, String(row.id)]));
    for (let start = 0; start < creates.length; start += BUSINESS_CENTRAL_MAX_BATCH) {
      const chunk = creates.slice(start, start + BUSINESS_CENTRAL_MAX_BATCH);
      const requests = [];
      for (const write of chunk) {
        const documentId = documentIds.get(String(write.row[document.numberField]));
        if (!documentId) return new Error(`${document.entitySet}: no document ${String(write.row[document.numberField])} for a new line`);
        const lineId = heldLine.get(`${documentId}/${String(write.row[sequence])}`);
        requests.push(
          lineId
            ? { method: 'PATCH' as const, url: this.client.entityUrl(map.entitySet, lineId), body: write.row, etag: '*' }
            : { method: 'POST' as const, url: `${this.client.entityUrl(document.entitySet, documentId)}/${map.entitySet}`, body: write.row },
        );
      }
      const answers = await this.client.batch(requests);
      for (const [index, answer] of answers.entries()) {
        if (answer.status >= 300 || !answer.body) return odataError(answer.status, JSON.stringify(answer.body ?? {}));
        written.push({ key: chunk[index]!.key, ...version(answer.body) });
      }
    }
    return null;
  }

  /**
   * Each document with its lines in one POST (a deep insert: BC writes the document and its lines
   * or nothing, https://learn.microsoft.com/dynamics365/business-central/dev-itpro/developer/devenv-api-pages#deep-insert),
   * looked up by number first like any create. The answer carries the document only, so its lines
   * are read back by `documentId` for their ids and ETags; a document that existed (a lost answer)
   * has its lines already.
   */
  async writeDocuments(document: ProductTable, lines: ProductTable, writes: readonly DocumentWrite[]): Promise<DocumentWriteResult> {
    const documents: (ProductVersion & { key: string })[] = [];
    const written: (ProductVersion & { key: string })[] = [];
    const lineKey = productField(lines, lines.documentKey!, false);
    const results = await this.client.createMany(
      document.entitySet,
      writes.map((write) => ({ ...write.document.row, [lines.entitySet]: write.lines.map((line) => line.row) })),
      productField(document, document.naturalKey!, false),
    );
    for (const [index, result] of results.entries()) {
      if (!result.ok) return { documents, lines: written, error: result.error };
      const write = writes[index]!;
      documents.push({ key: write.document.key, ...version(result.record) });
      const held = new Map((await this.client.findBy(lines.entitySet, 'documentId', [{ guid: String(result.record.id) }])).map((row) => [String(row[lineKey]), row]));
      for (const line of write.lines) {
        const row = held.get(String(line.row[lineKey]));
        if (!row) return { documents, lines: written, error: new Error(`${document.entitySet} ${String(result.record.id)} lacks its line ${String(line.row[lineKey])}`) };
        written.push({ key: line.key, ...version(row) });
      }
    }
    return { documents, lines: written, error: null };
  }

  /** In `$batch`es of up to 100; a record already gone (404) counts as not existing. */
  async delete(map: ProductTable, productIds: readonly string[]): Promise<number> {
    let existed = 0;
    for (let start = 0; start < productIds.length; start += BUSINESS_CENTRAL_MAX_BATCH) {
      const chunk = productIds.slice(start, start + BUSINESS_CENTRAL_MAX_BATCH);
      const answers = await this.client.batch(chunk.map((id) => ({ method: 'DELETE' as const, url: this.client.entityUrl(map.entitySet, id), etag: '*' })));
      for (const answer of answers) {
        if (answer.status < 300) existed += 1;
        else if (answer.status !== 404) throw odataError(answer.status, JSON.stringify(answer.body ?? {}));
      }
    }
    return existed;
  }

  /**
   * Records changed since the position (`lastModifiedDateTime`, read with the client's overlap),
   * then the ids the mirror holds that BC no longer has: the v2.0 feed carries no deletions
   * (webhooks announce them; a listing of ids finds them whatever was missed).
   */
  async *changes(map: ProductTable, position: string | null, knownIds: () => Promise<Set<string>>): AsyncGenerator<ProductChanges> {
    let latest = position ? new Date(position) : null;
    for await (const page of this.client.changesSince(map.entitySet, latest)) {
      const upserted = (await this.withDocumentNumbers(map, page)).map(version);
      for (const row of upserted) if (!latest || row.modifiedAt > latest) latest = row.modifiedAt;
      yield { upserted, deleted: [], position: null };
    }
    const [known, present] = await Promise.all([knownIds(), this.client.ids(map.entitySet)]);
    yield { upserted: [], deleted: [...known].filter((id) => !present.has(id)), position: latest ? latest.toISOString() : null };
  }

  /** Lines entered in BC name their document by `documentId` only: our field for its number is filled from the document. */
  private async withDocumentNumbers(map: ProductTable, rows: BcRecord[]): Promise<BcRecord[]> {
    const document = map.document;
    if (!document) return rows;
    const lacking = (row: BcRecord) => (row[document.numberField] === undefined || row[document.numberField] === null) && typeof row.documentId === 'string';
    const ids = [...new Set(rows.filter(lacking).map((row) => String(row.documentId)))];
    if (ids.length === 0) return rows;
    const numbers = new Map(
      (
        await this.client.findBy(
          document.entitySet,
          'id',
          ids.map((guid) => ({ guid })),
        )
      ).map((row) => [String(row.id), row.number]),
    );
    return rows.map((row) => (lacking(row) ? { ...row, [document.numberField]: numbers.get(String(row.documentId)) ?? null } : row));
  }

  /** The position is a time: never refused. */
  isStalePosition(): boolean {
    return false;
  }

  async probe(map: ProductTable): Promise<ProductIdentity> {
    const companies = await this.client.companies();
    let read = 0;
    for await (const page of this.client.list(map.entitySet, { pageSize: 1, select: ['id'] })) {
      read = Math.min(1, page.length);
      break;
    }
    return { identity: `companies visible: ${companies.map((company) => company.name).join(', ')}`, readEntitySet: `${map.entitySet}: ${read} row read` };
  }
}
