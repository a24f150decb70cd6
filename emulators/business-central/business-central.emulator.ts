import { randomUUID } from 'node:crypto';
import { EmulatorServer, type EmulatorRequest, type EmulatorResponse } from '../shared/emulator-server';
import { FaultInjector, type FaultPlan } from '../shared/faults';
import { IdentityEmulator, type RegisteredClient } from '../shared/identity';
import { filterToSql, FilterSyntaxError } from '../shared/odata-filter';
import { decodeToken, encodeToken, json, linkWith, maxPageSize, project, recordBody, selected } from '../shared/odata-query';
import { DuplicateKeyError, RecordStore, type StoredRecord } from '../shared/record-store';
import { ServerLimiter, type ServerLimits } from '../shared/server-limits';
import { BC_ENTITY_SETS } from './entity-sets';
import { BC_WEBHOOK_DEFAULTS, HandshakeError, WebhookHub, type Subscription, type WebhookOptions } from './webhook-hub';

const MAX_PAGE = 20_000;
const MAX_BATCH = 100;

/**
 * Business Central online's documented OData limits per user: 6,000 requests in a 5-minute
 * sliding window, 5 processed at once with up to 95 more queued (429 beyond), 503 for a request
 * still queued after the 8-minute operation timeout
 * (https://learn.microsoft.com/dynamics365/business-central/dev-itpro/administration/operational-limits-online).
 */
export const BC_DEFAULT_LIMITS: ServerLimits = { maxRequests: 6_000, windowMs: 300_000, maxConcurrent: 5, maxQueued: 95, queueTimeoutMs: 480_000 };

export interface BusinessCentralEmulatorOptions {
  readonly databaseUrl: string;
  readonly clients: readonly RegisteredClient[];
  readonly tenantId: string;
  readonly environment?: string;
  readonly companyName?: string;
  readonly limits?: ServerLimits;
  readonly faults?: FaultPlan;
  readonly webhooks?: Partial<WebhookOptions>;
  readonly tokenLifetimeSeconds?: number;
  readonly host?: string;
  readonly port?: number;
}

class BcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });
const etagOf = (record: StoredRecord) => `W/"${record.version}"`;

interface Target {
  readonly entitySet: string;
  readonly id: string | null;
  /** The document a lines collection belongs to (`salesOrders(…)/salesOrderLines`). */
  readonly documentId: string | null;
}

interface BatchRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/**
 * A local Business Central API v2.0 for one company over PostgreSQL schema `business_central`:
 * the mapped entity sets (numbers from a number series, unique per entity set), `$select`,
 * `$filter`, `$orderby=lastModifiedDateTime`, `$top`, `$expand` of document lines, deep insert,
 * paging with `odata.maxpagesize`, `If-Match` on every change, JSON `$batch` of at most 100
 * requests (one transaction with `Isolation: snapshot`), webhooks, and the per-user limits.
 */
export class BusinessCentralEmulator {
  readonly companyId = randomUUID();

  private constructor(
    readonly server: EmulatorServer,
    readonly store: RecordStore,
    readonly identity: IdentityEmulator,
    readonly limiter: ServerLimiter,
    readonly webhooks: WebhookHub,
    private readonly prefix: string,
    private readonly companyName: string,
  ) {}

  /** `…/v2.0/{tenant}/{environment}/api/v2.0`, as the product's endpoint reads. */
  get apiUrl(): string {
    return `${this.server.url}${this.prefix}`;
  }

  get url(): string {
    return this.server.url;
  }

  static async start(options: BusinessCentralEmulatorOptions): Promise<BusinessCentralEmulator> {
    const store = await RecordStore.open(options.databaseUrl, 'business_central');
    const limiter = new ServerLimiter(options.limits ?? BC_DEFAULT_LIMITS);
    const identity = new IdentityEmulator([...options.clients], 'https://api.businesscentral.dynamics.com', options.tokenLifetimeSeconds);
    const webhooks = new WebhookHub({ ...BC_WEBHOOK_DEFAULTS, ...options.webhooks });
    const prefix = `/v2.0/${encodeURIComponent(options.tenantId)}/${encodeURIComponent(options.environment ?? 'production')}/api/v2.0`;
    let emulator: BusinessCentralEmulator | null = null;
    const server = await EmulatorServer.start({
      identity,
      limiter,
      faults: options.faults ? new FaultInjector(options.faults) : null,
      errorBody,
      host: options.host,
      port: options.port,
      handle: (request) => emulator!.handle(request),
    });
    emulator = new BusinessCentralEmulator(server, store, identity, limiter, webhooks, prefix, options.companyName ?? 'CRONUS');
    return emulator;
  }

  setFaults(plan: FaultPlan | null): void {
    this.server.faults = plan ? new FaultInjector(plan) : null;
  }

  async stop(): Promise<void> {
    this.webhooks.stop();
    await this.server.stop();
    await this.store.close();
  }

  private async handle(request: EmulatorRequest): Promise<EmulatorResponse> {
    try {
      if (!request.path.startsWith(`${this.prefix}/`)) throw new BcError(404, 'BadRequest_NotFound', `No resource at ${request.path}`);
      const resource = request.path.slice(this.prefix.length + 1);
      if (resource === '$batch' && request.method === 'POST') return await this.batch(request);
      if (resource === 'companies' && request.method === 'GET') return json(200, { value: [{ id: this.companyId, name: this.companyName, displayName: this.companyName }] });
      if (resource.startsWith('subscriptions')) return await this.subscriptions(request, resource);
      return await this.execute(this.store, request.method, this.target(resource), request.headers as Record<string, string>, request.body, request.query, request);
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): EmulatorResponse {
    if (error instanceof BcError) return { status: error.status, headers: { 'content-type': 'application/json' }, body: errorBody(error.code, error.message) };
    if (error instanceof DuplicateKeyError)
      return { status: 400, headers: { 'content-type': 'application/json' }, body: errorBody('Internal_EntityWithSameKeyExists', error.message) };
    if (error instanceof HandshakeError) return { status: 400, headers: { 'content-type': 'application/json' }, body: errorBody('BadRequest', error.message) };
    if (error instanceof FilterSyntaxError || error instanceof SyntaxError || error instanceof TypeError) {
      return { status: 400, headers: { 'content-type': 'application/json' }, body: errorBody('BadRequest', error.message) };
    }
    throw error;
  }

  private target(resource: string): Target {
    const match = /^companies\(([0-9a-fA-F-]{36})\)\/([A-Za-z]+)(?:\(([0-9a-fA-F-]{36})\))?(?:\/([A-Za-z]+))?$/.exec(resource);
    if (!match || match[1]!.toLowerCase() !== this.companyId) throw new BcError(404, 'BadRequest_NotFound', `No resource at ${resource}`);
    const [, , set, id, child] = match;
    const definition = BC_ENTITY_SETS[set!];
    if (!definition) throw new BcError(404, 'BadRequest_NotFound', `No entity set ${set}`);
    if (child) {
      if (definition.lines !== child || !id) throw new BcError(404, 'BadRequest_NotFound', `No entity set ${set}/${child}`);
      return { entitySet: child, id: null, documentId: id.toLowerCase() };
    }
    return { entitySet: set!, id: id?.toLowerCase() ?? null, documentId: null };
  }

  private collectionPath(entitySet: string): string {
    return `/api/v2.0/companies(${this.companyId})/${entitySet}`;
  }

  private row(record: StoredRecord): Record<string, unknown> {
    return { '@odata.etag': etagOf(record), id: record.id, ...record.data, lastModifiedDateTime: record.modifiedAt.toISOString() };
  }

  /** A write notifies the collection's subscribers; a line's write notifies its document's. */
  private notify(entitySet: string, id: string, changeType: 'created' | 'updated' | 'deleted', documentId: unknown): void {
    const document = BC_ENTITY_SETS[entitySet]?.document;
    if (document && typeof documentId === 'string') this.webhooks.changed(this.collectionPath(document), documentId, 'updated');
    else this.webhooks.changed(this.collectionPath(entitySet), id, changeType);
  }

  private async execute(
    store: RecordStore,
    method: string,
    target: Target,
    headers: Readonly<Record<string, string>>,
    body: string,
    query: URLSearchParams,
    request: EmulatorRequest | null,
  ): Promise<EmulatorResponse> {
    const { entitySet, id } = target;
    const definition = BC_ENTITY_SETS[entitySet]!;
    if (method === 'GET' && id === null) {
      if (!request) throw new BcError(400, 'BadRequest', 'Collections are not read inside a $batch here.');
      return this.list(store, request, target);
    }
    if (method === 'POST' && id === null) return this.create(store, target, recordBody(body));
    if (id === null) throw new BcError(405, 'BadRequest_MethodNotAllowed', `${method} needs a key.`);
    const existing = await store.get(entitySet, id);
    if (!existing) throw new BcError(404, 'Internal_RecordNotFound', `The ${entitySet} record ${id} does not exist.`);
    if (method === 'GET') return json(200, project(this.row(existing), selected(query), ['id']));
    const ifMatch = headers['if-match'];
    if (ifMatch === undefined) throw new BcError(400, 'BadRequest', 'An If-Match header is required to change a record.');
    if (ifMatch !== '*' && ifMatch !== etagOf(existing)) {
      throw new BcError(412, 'Request_EntityChanged', 'Another user has already changed the record.');
    }
    if (method === 'DELETE') {
      await store.delete(entitySet, id);
      this.notify(entitySet, id, 'deleted', existing.data.documentId);
      return { status: 204 };
    }
    if (method !== 'PATCH') throw new BcError(405, 'BadRequest_MethodNotAllowed', `${method} is not supported here.`);
    const changes = recordBody(body);
    delete changes.id;
    const data = { ...existing.data, ...changes };
    const updated = await store.put(entitySet, id, data, definition.naturalKey ? String(data[definition.naturalKey] ?? '') || null : null);
    this.notify(entitySet, id, 'updated', data.documentId);
    return json(200, this.row(updated));
  }

  private async create(store: RecordStore, target: Target, data: Record<string, unknown>): Promise<EmulatorResponse> {
    const definition = BC_ENTITY_SETS[target.entitySet]!;
    const lines = definition.lines ? data[definition.lines] : undefined;
    if (definition.lines) delete data[definition.lines];
    if (lines !== undefined && !Array.isArray(lines)) throw new BcError(400, 'BadRequest', `${definition.lines} must be an array`);
    delete data.id;
    if (target.documentId) {
      if (!(await store.get(definition.document!, target.documentId))) throw new BcError(404, 'Internal_RecordNotFound', `The document ${target.documentId} does not exist.`);
      data.documentId = target.documentId;
    }
    if (definition.naturalKey === 'number' && !data.number) data.number = `${definition.numberPrefix}${await store.nextNumber()}`;
    if (definition.naturalKey && !data[definition.naturalKey]) throw new BcError(400, 'BadRequest', `${definition.naturalKey} is required`);
    const id = randomUUID();
    // A deep insert writes the document and its lines together.
    const created = await (lines
      ? store.transaction((tx) => this.insertDocument(tx, target.entitySet, id, data, lines as unknown[]))
      : store.put(target.entitySet, id, data, definition.naturalKey ? String(data[definition.naturalKey]) : null));
    this.notify(target.entitySet, id, 'created', data.documentId);
    return json(201, this.row(created), { location: `${this.apiUrl}/companies(${this.companyId})/${target.entitySet}(${id})` });
  }

  private async insertDocument(store: RecordStore, entitySet: string, id: string, data: Record<string, unknown>, lines: unknown[]): Promise<StoredRecord> {
    const definition = BC_ENTITY_SETS[entitySet]!;
    const created = await store.put(entitySet, id, data, String(data[definition.naturalKey!]));
    for (const [index, line] of lines.entries()) {
      if (typeof line !== 'object' || line === null) throw new BcError(400, 'BadRequest', 'a line must be an object');
      await store.put(definition.lines!, randomUUID(), { sequence: (index + 1) * 10000, ...(line as Record<string, unknown>), documentId: id }, null);
    }
    return created;
  }

  private async list(store: RecordStore, request: EmulatorRequest, target: Target): Promise<EmulatorResponse> {
    const { query, headers } = request;
    const orderBy = query.get('$orderby');
    if (orderBy && !/^lastModifiedDateTime( asc)?$/.test(orderBy)) throw new BcError(400, 'BadRequest', 'Only $orderby=lastModifiedDateTime is emulated.');
    const top = query.has('$top') ? Number(query.get('$top')) : null;
    if (top !== null && (!Number.isInteger(top) || top < 0)) throw new BcError(400, 'BadRequest', '$top must be a whole number');
    const pageSize = Math.min(maxPageSize(headers, MAX_PAGE), top ?? MAX_PAGE);
    const columnOf = (field: string) => (field === 'id' ? 'id' : field === 'lastModifiedDateTime' ? 'modified_at' : null);
    const conditions = [query.get('$filter'), target.documentId ? `documentId eq ${target.documentId}` : null].filter((c): c is string => !!c);
    const where = conditions.length > 0 ? filterToSql(conditions.map((c) => `(${c})`).join(' and '), columnOf) : null;
    const token = query.get('$skiptoken') ? decodeToken<{ id: string; at?: string; left?: number }>(query.get('$skiptoken')!) : null;
    const limit = token?.left !== undefined ? Math.min(pageSize, token.left) : pageSize;
    const records = await store.list(target.entitySet, {
      where,
      after: token ? { id: token.id, modifiedAt: token.at ? new Date(token.at) : undefined } : null,
      limit: limit + 1,
      byModified: orderBy !== null,
    });
    const page = records.slice(0, limit);
    const rows = page.map((record) => project(this.row(record), selected(query), ['id']));
    const lines = BC_ENTITY_SETS[target.entitySet]!.lines;
    if (lines && query.get('$expand') === lines) {
      for (const row of rows)
        row[lines] = (await store.list(lines, { where: filterToSql(`documentId eq ${row.id}`, columnOf), after: null, limit: 10_000 })).map((line) => this.row(line));
    }
    const body: Record<string, unknown> = { '@odata.context': `${this.apiUrl}/$metadata#companies(${this.companyId})/${target.entitySet}`, value: rows };
    const left = top === null ? undefined : (token?.left ?? top) - page.length;
    if (records.length > limit && (left === undefined || left > 0)) {
      const last = page[page.length - 1]!;
      body['@odata.nextLink'] = linkWith(
        request.origin,
        request.path,
        query,
        '$skiptoken',
        encodeToken({ id: last.id, at: orderBy ? last.modifiedAt.toISOString() : undefined, left }),
      );
    }
    return json(200, body);
  }

  private async subscriptions(request: EmulatorRequest, resource: string): Promise<EmulatorResponse> {
    const subscriptionJson = (s: Subscription) => ({
      '@odata.etag': `W/"${s.version}"`,
      subscriptionId: s.subscriptionId,
      notificationUrl: s.notificationUrl,
      resource: s.resource,
      userId: request.caller.userId,
      lastModifiedDateTime: s.lastModifiedDateTime.toISOString(),
      clientState: s.clientState,
      expirationDateTime: s.expirationDateTime.toISOString(),
    });
    if (resource === 'subscriptions' && request.method === 'GET') return json(200, { value: this.webhooks.list(request.caller.userId).map(subscriptionJson) });
    if (resource === 'subscriptions' && request.method === 'POST') {
      const body = recordBody(request.body) as { notificationUrl?: string; resource?: string; clientState?: string };
      const set = /^\/?api\/v2\.0\/companies\(([0-9a-f-]{36})\)\/([A-Za-z]+)$/.exec(body.resource ?? '');
      if (!set || set[1] !== this.companyId || !BC_ENTITY_SETS[set[2]!]?.webhooks) throw new BcError(400, 'BadRequest', `webhooks are not supported for ${body.resource}`);
      if (!body.notificationUrl) throw new BcError(400, 'BadRequest', 'notificationUrl is required');
      const created = await this.webhooks.create(request.caller.userId, body.notificationUrl, this.collectionPath(set[2]!), body.clientState ?? '');
      return json(201, subscriptionJson(created));
    }
    const id = /^subscriptions\('([0-9a-f]+)'\)$/.exec(resource)?.[1];
    const subscription = id ? this.webhooks.get(id) : undefined;
    if (!subscription || subscription.userId !== request.caller.userId) throw new BcError(404, 'Internal_RecordNotFound', `No subscription ${resource}`);
    const ifMatch = request.headers['if-match'];
    if (request.method === 'GET') return json(200, subscriptionJson(subscription));
    if (ifMatch !== '*' && ifMatch !== `W/"${subscription.version}"`) throw new BcError(412, 'Request_EntityChanged', 'The subscription changed.');
    if (request.method === 'DELETE') {
      this.webhooks.delete(subscription.subscriptionId);
      return { status: 204 };
    }
    const changes = recordBody(request.body) as { notificationUrl?: string; clientState?: string };
    return json(200, subscriptionJson(await this.webhooks.renew(subscription, changes)));
  }

  /**
   * JSON `$batch`: at most 100 requests; with `Isolation: snapshot` all run in one transaction,
   * so one failure leaves nothing written (its error answered, the others 424 Failed Dependency).
   */
  private async batch(request: EmulatorRequest): Promise<EmulatorResponse> {
    const { requests } = JSON.parse(request.body) as { requests?: BatchRequest[] };
    if (!Array.isArray(requests)) throw new BcError(400, 'BadRequest', 'A $batch body holds a requests array.');
    if (requests.length > MAX_BATCH) throw new BcError(400, 'BadRequest', `A $batch holds at most ${MAX_BATCH} requests, got ${requests.length}.`);
    const run = async (store: RecordStore, item: BatchRequest) => {
      try {
        const url = new URL(item.url, `${this.apiUrl}/`);
        const resource = decodeURIComponent(url.pathname).slice(this.prefix.length + 1);
        const headers = Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        return await this.execute(store, item.method, this.target(resource), headers, item.body === undefined ? '' : JSON.stringify(item.body), url.searchParams, null);
      } catch (error) {
        return this.failure(error);
      }
    };
    const answer = (item: BatchRequest, response: EmulatorResponse) => ({
      id: item.id,
      status: response.status,
      headers: response.headers ?? {},
      body: response.body ? JSON.parse(response.body) : undefined,
    });
    let responses: ReturnType<typeof answer>[] = [];
    if (String(request.headers.isolation ?? '').toLowerCase() === 'snapshot') {
      try {
        await this.store.transaction(async (tx) => {
          for (const item of requests) {
            const response = await run(tx, item);
            responses.push(answer(item, response));
            if (response.status >= 400) throw new BcError(response.status, 'BatchFailed', item.id);
          }
        });
      } catch (error) {
        if (!(error instanceof BcError) || error.code !== 'BatchFailed') throw error;
        const failed = responses[responses.length - 1]!;
        responses = requests.map((item) =>
          item.id === failed.id
            ? failed
            : { id: item.id, status: 424, headers: {}, body: { error: { code: 'FailedDependency', message: `request ${failed.id} failed; nothing was written` } } },
        );
      }
    } else {
      for (const item of requests) responses.push(answer(item, await run(this.store, item)));
    }
    return json(200, { responses });
  }
}
