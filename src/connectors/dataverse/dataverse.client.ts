import { randomUUID } from 'node:crypto';
import { ClientCredentialsTokens, type ClientCredentials } from '../web-api/client-credentials';
import { boundaryOf, encodeBatch, parseBatch, statusOf, type BatchPart } from '../web-api/multipart';
import { checkField, checkGuid } from '../web-api/odata-literal';
import { RequestBudget, type BudgetLimits } from '../web-api/request-budget';
import { odataError, WebApiError } from '../web-api/web-api-error';
import { WebApiTransport } from '../web-api/web-api-transport';
import { DATAVERSE_MAX_BATCH_OPERATIONS, DATAVERSE_MAX_PAGE_SIZE, DATAVERSE_SERVICE_PROTECTION } from './dataverse-limits';

/** A row as the Web API returns it: column names to values, `@odata.etag` included. */
export type DataverseRecord = Record<string, unknown>;

export interface DataverseConnection {
  /** The environment's URL, e.g. `https://contoso.crm4.dynamics.com`. */
  readonly environmentUrl: string;
  readonly credentials: Omit<ClientCredentials, 'scope'>;
  /** Defaults to the documented service protection limits. */
  readonly limits?: BudgetLimits;
  readonly timeoutMs?: number;
  readonly backoffMs?: number;
  readonly tokenRefreshMarginMs?: number;
}

export interface ListOptions {
  readonly select?: readonly string[];
  /** A `$filter` expression built with `odata-literal` (field names and values checked there). */
  readonly filter?: string;
  readonly pageSize?: number;
}

/** One page of a change feed: rows created or changed since the last delta link, and ids deleted. */
export interface ChangePage {
  readonly upserted: DataverseRecord[];
  readonly deleted: string[];
  /** Set on the last page only: where the next read of the feed starts. */
  readonly deltaLink: string | null;
}

/** A write inside a change set. */
export type DataverseWrite =
  | {
      readonly method: 'PATCH';
      readonly entitySet: string;
      readonly id: string;
      readonly record: DataverseRecord;
      /** `*`: update only; an ETag: update only that version; absent: upsert. */
      readonly ifMatch?: string;
      /** Create only (`If-None-Match: *`). */
      readonly createOnly?: boolean;
      /** Answer with the row as stored (`Prefer: return=representation`): its ETag and the `modifiedon` Dataverse stamped. */
      readonly returnRepresentation?: boolean;
    }
  | { readonly method: 'DELETE'; readonly entitySet: string; readonly id: string; readonly ifMatch?: string };

export type ChangeSetResult =
  | {
      readonly ok: true;
      readonly statuses: number[];
      /** Each written row as stored, when the writes asked for it (`returnRepresentation`); null otherwise. */
      readonly rows: (DataverseRecord | null)[];
    }
  | { readonly ok: false; readonly error: WebApiError };

export interface WhoAmI {
  readonly UserId: string;
  readonly BusinessUnitId: string;
  readonly OrganizationId: string;
}

const API_PATH = '/api/data/v9.2';

function checkEntitySet(entitySet: string): string {
  return checkField(entitySet);
}

function entityPath(entitySet: string, id: string): string {
  return `${checkEntitySet(entitySet)}(${checkGuid(id)})`;
}

/**
 * The Dataverse Web API (OData v4, `/api/data/v9.2/`) for one application user: paged reads,
 * change tracking, upserts by client-chosen id (a create sent twice updates the same row), ETag
 * checks and `$batch` change sets, within the service protection limits.
 */
export class DataverseClient {
  readonly transport: WebApiTransport;
  readonly tokens: ClientCredentialsTokens;
  readonly budget: RequestBudget;

  constructor(connection: DataverseConnection) {
    const environmentUrl = connection.environmentUrl.replace(/\/$/, '');
    this.tokens = new ClientCredentialsTokens({ ...connection.credentials, scope: `${environmentUrl}/.default` }, { refreshMarginMs: connection.tokenRefreshMarginMs });
    this.budget = new RequestBudget(connection.limits ?? DATAVERSE_SERVICE_PROTECTION);
    this.transport = new WebApiTransport({
      baseUrl: `${environmentUrl}${API_PATH}`,
      tokens: this.tokens,
      budget: this.budget,
      timeoutMs: connection.timeoutMs,
      backoffMs: connection.backoffMs,
    });
  }

  async whoAmI(): Promise<WhoAmI> {
    return this.json<WhoAmI>(await this.transport.send({ method: 'GET', url: 'WhoAmI', idempotent: true }));
  }

  async get(entitySet: string, id: string, select?: readonly string[]): Promise<DataverseRecord | null> {
    const query = select ? `?$select=${select.map(checkField).join(',')}` : '';
    const response = await this.transport.send({ method: 'GET', url: `${entityPath(entitySet, id)}${query}`, idempotent: true });
    if (response.status === 404) return null;
    return this.json<DataverseRecord>(response);
  }

  /** Every row matching the filter, a page at a time (`Prefer: odata.maxpagesize`, `@odata.nextLink`). */
  async *list(entitySet: string, options: ListOptions = {}): AsyncGenerator<DataverseRecord[]> {
    const query = new URLSearchParams();
    if (options.select) query.set('$select', options.select.map(checkField).join(','));
    if (options.filter) query.set('$filter', options.filter);
    let url: string | null = `${checkEntitySet(entitySet)}${query.size > 0 ? `?${query}` : ''}`;
    while (url) {
      const page: { value: DataverseRecord[]; '@odata.nextLink'?: string } = this.json(
        await this.transport.send({ method: 'GET', url, headers: this.pageHeaders(options.pageSize), idempotent: true }),
      );
      yield page.value;
      url = page['@odata.nextLink'] ?? null;
    }
  }

  /**
   * The table's change feed. Without a delta link: every row, then a delta link; with one: rows
   * created or changed since, then `$deletedEntity` entries. Change tracking takes no `$filter`,
   * `$orderby` or `$top` (https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems),
   * so scope filters apply to what it returns. Keep the delta link only after the last page.
   */
  async *changes(entitySet: string, options: { select?: readonly string[]; deltaLink?: string | null; pageSize?: number } = {}): AsyncGenerator<ChangePage> {
    let url: string | null = options.deltaLink ?? `${checkEntitySet(entitySet)}${options.select ? `?$select=${options.select.map(checkField).join(',')}` : ''}`;
    if (options.deltaLink && !options.deltaLink.startsWith(this.transport.baseUrl)) throw new TypeError('the delta link is not this environment’s');
    while (url) {
      const headers = { ...this.pageHeaders(options.pageSize), prefer: `odata.track-changes,${this.pageHeaders(options.pageSize).prefer}` };
      const page: { value: DataverseRecord[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string } = this.json(
        await this.transport.send({ method: 'GET', url, headers, idempotent: true }),
      );
      const upserted: DataverseRecord[] = [];
      const deleted: string[] = [];
      for (const row of page.value) {
        if (String(row['@odata.context'] ?? '').endsWith('/$deletedEntity')) deleted.push(String(row.id));
        else upserted.push(row);
      }
      url = page['@odata.nextLink'] ?? null;
      yield { upserted, deleted, deltaLink: url ? null : (page['@odata.deltaLink'] ?? null) };
    }
  }

  /**
   * Creates or updates the row with this id (PATCH to the key). Sent again after a lost answer,
   * it writes the same row: no duplicate.
   */
  async upsert(entitySet: string, id: string, record: DataverseRecord, options: { ifMatch?: string; createOnly?: boolean } = {}): Promise<void> {
    const response = await this.transport.send({
      method: 'PATCH',
      url: entityPath(entitySet, id),
      headers: { 'content-type': 'application/json', ...this.conditions(options) },
      body: JSON.stringify(record),
      idempotent: options.ifMatch === undefined || options.ifMatch === '*',
    });
    if (response.status >= 300) throw odataError(response.status, response.text);
  }

  async delete(entitySet: string, id: string, ifMatch?: string): Promise<boolean> {
    const response = await this.transport.send({ method: 'DELETE', url: entityPath(entitySet, id), headers: this.conditions({ ifMatch }), idempotent: true });
    if (response.status === 404) return false;
    if (response.status >= 300) throw odataError(response.status, response.text);
    return true;
  }

  /**
   * Writes change sets, each all or nothing, in `$batch` requests of at most 1,000 operations;
   * a change set that fails leaves the others applied (`Prefer: odata.continue-on-error`).
   */
  async writeChangeSets(changeSets: readonly (readonly DataverseWrite[])[]): Promise<ChangeSetResult[]> {
    const results: ChangeSetResult[] = [];
    let batch: (readonly DataverseWrite[])[] = [];
    let operations = 0;
    for (const changeSet of changeSets) {
      if (changeSet.length > DATAVERSE_MAX_BATCH_OPERATIONS) throw new RangeError(`a change set holds at most ${DATAVERSE_MAX_BATCH_OPERATIONS} operations`);
      if (operations + changeSet.length > DATAVERSE_MAX_BATCH_OPERATIONS) {
        results.push(...(await this.sendBatch(batch)));
        batch = [];
        operations = 0;
      }
      batch.push(changeSet);
      operations += changeSet.length;
    }
    if (batch.length > 0) results.push(...(await this.sendBatch(batch)));
    return results;
  }

  private async sendBatch(changeSets: readonly (readonly DataverseWrite[])[]): Promise<ChangeSetResult[]> {
    const boundary = `batch_${randomUUID()}`;
    const parts: BatchPart[] = changeSets.map((writes) => ({
      kind: 'changeset',
      boundary: `changeset_${randomUUID()}`,
      parts: writes.map((write, index) => ({ kind: 'message', contentId: String(index + 1), message: this.batchMessage(write) })),
    }));
    // Idempotent as long as every write is: upserts by key and deletes can simply be sent again.
    const idempotent = changeSets.every((writes) => writes.every((write) => write.ifMatch === undefined || write.ifMatch === '*'));
    const response = await this.transport.send({
      method: 'POST',
      url: '$batch',
      headers: { 'content-type': `multipart/mixed; boundary=${boundary}`, prefer: 'odata.continue-on-error' },
      body: encodeBatch(boundary, parts),
      idempotent,
    });
    const answerBoundary = boundaryOf(response.headers.get('content-type'));
    if (response.status >= 300 || !answerBoundary) throw odataError(response.status, response.text);
    return this.changeSetResults(parseBatch(response.text, answerBoundary), changeSets.length);
  }

  /**
   * A change set that succeeded answers with a change set of one response per operation; one that
   * failed answers with the single error response of the operation that failed.
   */
  private changeSetResults(answers: readonly BatchPart[], expected: number): ChangeSetResult[] {
    if (answers.length !== expected) throw new WebApiError('http', `$batch answered ${answers.length} parts for ${expected} change sets`);
    return answers.map((answer): ChangeSetResult => {
      if (answer.kind === 'changeset') {
        const messages = answer.parts.map((part) => (part.kind === 'message' ? part.message : null));
        return {
          ok: true,
          statuses: messages.map((message) => (message ? statusOf(message) : 0)),
          rows: messages.map((message) => (message?.body ? (JSON.parse(message.body) as DataverseRecord) : null)),
        };
      }
      return { ok: false, error: odataError(statusOf(answer.message), answer.message.body) };
    });
  }

  private batchMessage(write: DataverseWrite): { startLine: string; headers: Record<string, string>; body: string } {
    const url = `${new URL(this.transport.baseUrl).pathname}/${entityPath(write.entitySet, write.id)}`;
    const conditions = this.conditions(write.method === 'PATCH' ? write : { ifMatch: write.ifMatch });
    if (write.method === 'DELETE') return { startLine: `DELETE ${url} HTTP/1.1`, headers: conditions, body: '' };
    const prefer: Record<string, string> = write.returnRepresentation ? { prefer: 'return=representation' } : {};
    return { startLine: `PATCH ${url} HTTP/1.1`, headers: { 'content-type': 'application/json', ...prefer, ...conditions }, body: JSON.stringify(write.record) };
  }

  private conditions(options: { ifMatch?: string; createOnly?: boolean }): Record<string, string> {
    if (options.createOnly) return { 'if-none-match': '*' };
    return options.ifMatch ? { 'if-match': options.ifMatch } : {};
  }

  private pageHeaders(pageSize: number | undefined): { prefer: string } {
    return { prefer: `odata.maxpagesize=${Math.min(Math.max(1, pageSize ?? DATAVERSE_MAX_PAGE_SIZE), DATAVERSE_MAX_PAGE_SIZE)}` };
  }

  private json<T>(response: { status: number; text: string }): T {
    if (response.status >= 300) throw odataError(response.status, response.text);
    return JSON.parse(response.text) as T;
  }
}
