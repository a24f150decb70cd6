import { ClientCredentialsTokens, type ClientCredentials } from '../web-api/client-credentials';
import { anyOf, checkField, checkGuid, literal, type FilterValue } from '../web-api/odata-literal';
import { RequestBudget, type BudgetLimits } from '../web-api/request-budget';
import { odataError, WebApiError } from '../web-api/web-api-error';
import { WebApiTransport, type WebResponse } from '../web-api/web-api-transport';
import { BUSINESS_CENTRAL_LIMITS, BUSINESS_CENTRAL_MAX_BATCH } from './business-central-limits';

/** A record as the API returns it: `id`, `@odata.etag`, `lastModifiedDateTime` and its fields. */
export type BcRecord = Record<string, unknown>;

export interface BusinessCentralConnection {
  /** `https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}/api/v2.0` */
  readonly apiUrl: string;
  readonly companyId: string;
  readonly credentials: Omit<ClientCredentials, 'scope'>;
  /** Defaults to `https://api.businesscentral.dynamics.com/.default`. */
  readonly scope?: string;
  readonly limits?: BudgetLimits;
  readonly timeoutMs?: number;
  readonly backoffMs?: number;
  readonly tokenRefreshMarginMs?: number;
}

export interface BcSubscription {
  readonly subscriptionId: string;
  readonly notificationUrl: string;
  readonly resource: string;
  readonly clientState: string;
  readonly expirationDateTime: string;
  readonly '@odata.etag': string;
}

/** The outcome of one record of `createMany`. */
export type CreateResult = { readonly ok: true; readonly record: BcRecord; readonly existed: boolean } | { readonly ok: false; readonly error: WebApiError };

const LOOKUP_CHUNK = 25;
/** Past this many keys, reading every key of the entity set costs fewer requests than filtering. */
const KEYS_LISTED_PAST = 200;

/**
 * The Business Central API v2.0 for one company and one Microsoft Entra application: paged reads,
 * a change feed by `lastModifiedDateTime`, idempotent creates (a record is looked up by its number
 * or code before it is created, and again when an answer is lost), `If-Match` updates, `$batch` of
 * at most 100 requests, and webhook subscriptions — within BC's per-user limits.
 */
export class BusinessCentralClient {
  readonly transport: WebApiTransport;
  readonly tokens: ClientCredentialsTokens;
  readonly budget: RequestBudget;
  private readonly companyPath: string;

  constructor(connection: BusinessCentralConnection) {
    this.tokens = new ClientCredentialsTokens(
      { ...connection.credentials, scope: connection.scope ?? 'https://api.businesscentral.dynamics.com/.default' },
      { refreshMarginMs: connection.tokenRefreshMarginMs },
    );
    this.budget = new RequestBudget(connection.limits ?? BUSINESS_CENTRAL_LIMITS);
    this.transport = new WebApiTransport({
      baseUrl: connection.apiUrl.replace(/\/$/, ''),
      tokens: this.tokens,
      budget: this.budget,
      timeoutMs: connection.timeoutMs,
      backoffMs: connection.backoffMs,
    });
    this.companyPath = `companies(${checkGuid(connection.companyId)})`;
  }

  async companies(): Promise<{ id: string; name: string }[]> {
    return this.json<{ value: { id: string; name: string }[] }>(await this.transport.send({ method: 'GET', url: 'companies', idempotent: true })).value;
  }

  async get(entitySet: string, id: string): Promise<BcRecord | null> {
    const response = await this.transport.send({ method: 'GET', url: this.path(entitySet, id), idempotent: true });
    return response.status === 404 ? null : this.json<BcRecord>(response);
  }

  /** Every record matching the filter, a page at a time. */
  async *list(
    entitySet: string,
    options: { select?: readonly string[]; filter?: string; pageSize?: number; orderByModified?: boolean; expand?: string } = {},
  ): AsyncGenerator<BcRecord[]> {
    const query = new URLSearchParams();
    if (options.select) query.set('$select', options.select.map(checkField).join(','));
    if (options.filter) query.set('$filter', options.filter);
    if (options.orderByModified) query.set('$orderby', 'lastModifiedDateTime');
    if (options.expand) query.set('$expand', checkField(options.expand));
    let url: string | null = `${this.path(entitySet)}${query.size > 0 ? `?${query}` : ''}`;
    const headers = options.pageSize ? { prefer: `odata.maxpagesize=${options.pageSize}` } : undefined;
    while (url) {
      const page: { value: BcRecord[]; '@odata.nextLink'?: string } = this.json(await this.transport.send({ method: 'GET', url, headers, idempotent: true }));
      yield page.value;
      url = page['@odata.nextLink'] ?? null;
    }
  }

  /**
   * Records changed after `since` less `overlapMs`, oldest first. A transaction that commits late
   * can carry an earlier `lastModifiedDateTime` than one already read, hence the overlap; records
   * read twice are simply written twice. Deletions do not show here: they arrive as webhook
   * notifications, or by comparing `ids()` with the mirror.
   */
  changesSince(entitySet: string, since: Date | null, options: { overlapMs?: number; pageSize?: number; select?: readonly string[] } = {}): AsyncGenerator<BcRecord[]> {
    const from = since ? new Date(since.getTime() - (options.overlapMs ?? 5_000)) : null;
    return this.list(entitySet, {
      select: options.select,
      pageSize: options.pageSize,
      orderByModified: true,
      filter: from ? `lastModifiedDateTime gt ${literal(from)}` : undefined,
    });
  }

  /** Every id of the entity set (for finding deletions). */
  async ids(entitySet: string, pageSize = 20_000): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const page of this.list(entitySet, { select: ['id'], pageSize })) for (const row of page) ids.add(String(row.id));
    return ids;
  }

  /** Records whose `field` holds one of `values`, a few look-ups per request. */
  async findBy(entitySet: string, field: string, values: readonly FilterValue[]): Promise<BcRecord[]> {
    const found: BcRecord[] = [];
    for (let start = 0; start < values.length; start += LOOKUP_CHUNK) {
      for await (const page of this.list(entitySet, { filter: anyOf(field, values.slice(start, start + LOOKUP_CHUNK)) })) found.push(...page);
    }
    return found;
  }

  /**
   * Creates the record unless one with the same natural key (number, code, external document
   * number) exists: a POST is not idempotent, so after a lost answer the key is looked up again
   * instead of sending the POST twice.
   */
  async createIdempotent(entitySet: string, record: BcRecord, keyField: string): Promise<{ record: BcRecord; existed: boolean }> {
    const [result] = await this.createMany(entitySet, [record], keyField);
    if (!result!.ok) throw result!.error;
    return { record: result!.record, existed: result!.existed };
  }

  /**
   * Creates records by natural key in `$batch` requests of at most 100: each round looks up which
   * keys exist, creates the others, and looks again for those whose answer was lost.
   */
  async createMany(entitySet: string, records: readonly BcRecord[], keyField: string, maxRounds = 5): Promise<CreateResult[]> {
    checkField(keyField);
    const results = new Map<string, CreateResult>();
    const keyOf = (record: BcRecord) => {
      const key = record[keyField];
      if (typeof key !== 'string' || key === '') throw new TypeError(`every record needs a ${keyField}`);
      return key.toLowerCase();
    };
    let open = [...records];
    for (let round = 1; open.length > 0; round += 1) {
      const keys = open.map((r) => r[keyField] as string);
      const existing = keys.length > KEYS_LISTED_PAST ? await this.allKeys(entitySet, keyField, keys) : await this.findBy(entitySet, keyField, keys);
      for (const found of existing) {
        const key = keyOf(found);
        if (!results.has(key)) results.set(key, { ok: true, record: found, existed: round === 1 });
      }
      const toCreate = open.filter((record) => !results.has(keyOf(record)));
      open = [];
      for (let start = 0; start < toCreate.length; start += BUSINESS_CENTRAL_MAX_BATCH) {
        const chunk = toCreate.slice(start, start + BUSINESS_CENTRAL_MAX_BATCH);
        let answers: { status: number; body?: BcRecord & { error?: { code?: string; message?: string } } }[];
        try {
          answers = await this.batch(chunk.map((record) => ({ method: 'POST', url: this.path(entitySet), body: record })));
        } catch (error) {
          if (!(error instanceof WebApiError) || round >= maxRounds) throw error;
          open.push(...chunk); // the answer is lost, not necessarily the writes: look again
          continue;
        }
        for (const [index, answer] of answers.entries()) {
          const record = chunk[index]!;
          if (answer.status < 300) results.set(keyOf(record), { ok: true, record: answer.body!, existed: false });
          else if (answer.status >= 500 && round < maxRounds) open.push(record);
          else results.set(keyOf(record), { ok: false, error: odataError(answer.status, JSON.stringify(answer.body ?? {})) });
        }
      }
    }
    return records.map((record) => results.get(keyOf(record))!);
  }

  /** `id` and key of every record whose key is one of `keys`, from one listing of the entity set. */
  private async allKeys(entitySet: string, keyField: string, keys: readonly string[]): Promise<BcRecord[]> {
    const wanted = new Set(keys.map((key) => key.toLowerCase()));
    const found: BcRecord[] = [];
    for await (const page of this.list(entitySet, { select: ['id', keyField], pageSize: 20_000 })) {
      found.push(...page.filter((row) => wanted.has(String(row[keyField]).toLowerCase())));
    }
    return found;
  }

  /** Changes fields of the version read (`etag`), or of whatever version with `*`. */
  async update(entitySet: string, id: string, changes: BcRecord, etag: string): Promise<BcRecord> {
    return this.json<BcRecord>(
      await this.transport.send({
        method: 'PATCH',
        url: this.path(entitySet, id),
        headers: { 'content-type': 'application/json', 'if-match': etag },
        body: JSON.stringify(changes),
        idempotent: etag === '*',
      }),
    );
  }

  async delete(entitySet: string, id: string, etag = '*'): Promise<boolean> {
    const response = await this.transport.send({ method: 'DELETE', url: this.path(entitySet, id), headers: { 'if-match': etag }, idempotent: true });
    if (response.status === 404) return false;
    if (response.status >= 300) throw odataError(response.status, response.text);
    return true;
  }

  /**
   * Up to 100 requests in one JSON `$batch`; `atomic` sends `Isolation: snapshot`, so all are
   * written or none (https://learn.microsoft.com/dynamics365/business-central/dev-itpro/webservices/use-odata-batch).
   * Answers come back in request order.
   */
  async batch(requests: readonly { method: 'POST' | 'PATCH' | 'DELETE'; url: string; body?: unknown; etag?: string }[], options: { atomic?: boolean } = {}) {
    if (requests.length > BUSINESS_CENTRAL_MAX_BATCH) throw new RangeError(`a $batch holds at most ${BUSINESS_CENTRAL_MAX_BATCH} requests`);
    const body = {
      requests: requests.map((request, index) => ({
        id: String(index + 1),
        method: request.method,
        url: request.url,
        headers: { 'content-type': 'application/json', ...(request.etag ? { 'if-match': request.etag } : {}) },
        body: request.body,
      })),
    };
    const response = await this.transport.send({
      method: 'POST',
      url: '$batch',
      headers: { 'content-type': 'application/json', ...(options.atomic ? { isolation: 'snapshot' } : {}) },
      body: JSON.stringify(body),
      idempotent: requests.every((request) => request.method === 'DELETE' || request.etag === '*'),
    });
    const answer = this.json<{ responses: { id: string; status: number; body?: BcRecord & { error?: { code?: string; message?: string } } }[] }>(response);
    const byId = new Map(answer.responses.map((r) => [r.id, r]));
    return body.requests.map((request) => byId.get(request.id) ?? { id: request.id, status: 0 });
  }

  /** Subscribes `notificationUrl` to an entity set; BC checks the URL with the validation handshake first. */
  async subscribe(entitySet: string, notificationUrl: string, clientState: string): Promise<BcSubscription> {
    const resource = `/api/v2.0/${this.companyPath}/${checkField(entitySet)}`;
    const response = await this.transport.send({
      method: 'POST',
      url: 'subscriptions',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notificationUrl, resource, clientState }),
      idempotent: false,
    });
    return this.json<BcSubscription>(response);
  }

  async subscriptions(): Promise<BcSubscription[]> {
    return this.json<{ value: BcSubscription[] }>(await this.transport.send({ method: 'GET', url: 'subscriptions', idempotent: true })).value;
  }

  /** A PATCH renews for another lifetime (three days online), after another handshake. */
  async renew(subscription: BcSubscription): Promise<BcSubscription> {
    const response = await this.transport.send({
      method: 'PATCH',
      url: `subscriptions('${subscription.subscriptionId.replace(/[^0-9a-zA-Z]/g, '')}')`,
      headers: { 'content-type': 'application/json', 'if-match': subscription['@odata.etag'] },
      body: JSON.stringify({ notificationUrl: subscription.notificationUrl, clientState: subscription.clientState }),
      idempotent: true,
    });
    return this.json<BcSubscription>(response);
  }

  /**
   * Keeps one subscription per entity set alive: creates missing ones and renews those expiring
   * within `renewWithinMs`. Call it on a timer shorter than that margin.
   */
  async keepSubscribed(entitySets: readonly string[], notificationUrl: string, clientState: string, renewWithinMs = 24 * 3_600_000): Promise<BcSubscription[]> {
    const existing = await this.subscriptions();
    const kept: BcSubscription[] = [];
    for (const entitySet of entitySets) {
      const current = existing.find((s) => s.notificationUrl === notificationUrl && s.resource.endsWith(`/${entitySet}`));
      if (!current) kept.push(await this.subscribe(entitySet, notificationUrl, clientState));
      else if (Date.parse(current.expirationDateTime) - Date.now() < renewWithinMs) kept.push(await this.renew({ ...current, clientState }));
      else kept.push(current);
    }
    return kept;
  }

  /** A record's URL relative to the API root, as a `$batch` request names it. */
  entityUrl(entitySet: string, id: string): string {
    return this.path(entitySet, id);
  }

  private path(entitySet: string, id?: string): string {
    return `${this.companyPath}/${checkField(entitySet)}${id === undefined ? '' : `(${checkGuid(id)})`}`;
  }

  private json<T>(response: WebResponse): T {
    if (response.status >= 300) throw odataError(response.status, response.text);
    return JSON.parse(response.text) as T;
  }
}
