import { randomUUID } from 'node:crypto';
import { boundaryOf, encodeBatch, parseBatch, statusOf, type BatchPart, type HttpMessage } from '../../src/connectors/web-api/multipart';
import { EmulatorServer, type EmulatorRequest, type EmulatorResponse } from '../shared/emulator-server';
import { FaultInjector, type FaultPlan } from '../shared/faults';
import { IdentityEmulator, type RegisteredClient } from '../shared/identity';
import { filterToSql, FilterSyntaxError } from '../shared/odata-filter';
import { decodeToken, encodeToken, json, linkWith, maxPageSize, prefers, project, recordBody, selected } from '../shared/odata-query';
import { RecordStore, type StoredRecord } from '../shared/record-store';
import { ServerLimiter, type ServerLimits } from '../shared/server-limits';
import { DATAVERSE_ENTITY_SETS } from './entity-sets';

const API = '/api/data/v9.2/';
const MAX_PAGE = 5_000;
const MAX_BATCH = 1_000;

/** Dataverse's documented defaults per user (5-minute window); tests pass tighter ones. */
export const DATAVERSE_DEFAULT_LIMITS: ServerLimits = {
  maxRequests: 6_000,
  windowMs: 300_000,
  maxExecutionMs: 1_200_000,
  maxConcurrent: 52,
  maxQueued: 0,
  queueTimeoutMs: 0,
};

export interface DataverseEmulatorOptions {
  readonly databaseUrl: string;
  readonly clients: readonly RegisteredClient[];
  readonly limits?: ServerLimits;
  readonly faults?: FaultPlan;
  readonly tokenLifetimeSeconds?: number;
  readonly host?: string;
  readonly port?: number;
  readonly organizationId?: string;
}

class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Lookups are written as `ownerid@odata.bind: "/systemusers(…)"` and read back as
 * `_ownerid_value` (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api).
 */
export function bindLookups(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([field, value]) => {
      const bound = /^([a-z0-9_]+)@odata\.bind$/.exec(field);
      if (!bound) return [field, value];
      const id = value === null ? null : /\(([0-9a-fA-F-]{36})\)$/.exec(String(value))?.[1]?.toLowerCase();
      if (id === undefined) throw new SyntaxError(`${field} must name a record as /entityset(id)`);
      return [`_${bound[1]}_value`, id];
    }),
  );
}

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });
const etagOf = (record: StoredRecord) => `W/"${record.version}"`;

interface RowToken {
  after: string | null;
  max?: number;
}
interface DeltaToken {
  since: number;
  max: number;
  phase: 'upserts' | 'deletes';
  after: number;
}

/**
 * A local Dataverse Web API (`/api/data/v9.2/`) over PostgreSQL schema `dataverse`: the mapped
 * entity sets, `$select`, `$filter`, `odata.maxpagesize` paging, change tracking with delta links
 * and `$deletedEntity` rows, `_modifiedby_value` stamped with the calling application user, upserts by key with `If-Match` / `If-None-Match`, multipart `$batch`
 * with change sets, `WhoAmI`, and the service protection limits per application user.
 */
export class DataverseEmulator {
  private constructor(
    readonly server: EmulatorServer,
    readonly store: RecordStore,
    readonly identity: IdentityEmulator,
    readonly limiter: ServerLimiter,
    private readonly organizationId: string,
  ) {}

  get url(): string {
    return this.server.url;
  }

  static async start(options: DataverseEmulatorOptions): Promise<DataverseEmulator> {
    const store = await RecordStore.open(options.databaseUrl, 'dataverse');
    const limiter = new ServerLimiter(options.limits ?? DATAVERSE_DEFAULT_LIMITS);
    let emulator: DataverseEmulator | null = null;
    // The scope is the environment's URL, known once the port is.
    const identity = new IdentityEmulator([...options.clients], '', options.tokenLifetimeSeconds);
    const server = await EmulatorServer.start({
      identity,
      limiter,
      faults: options.faults ? new FaultInjector(options.faults) : null,
      errorBody,
      host: options.host,
      port: options.port,
      handle: (request) => emulator!.handle(request),
    });
    identity.resource = server.url;
    emulator = new DataverseEmulator(server, store, identity, limiter, options.organizationId ?? randomUUID());
    return emulator;
  }

  setFaults(plan: FaultPlan | null): void {
    this.server.faults = plan ? new FaultInjector(plan) : null;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.store.close();
  }

  private async handle(request: EmulatorRequest): Promise<EmulatorResponse> {
    try {
      if (!request.path.startsWith(API)) throw new ODataError(404, '0x80060888', `Resource not found for the segment '${request.path}'.`);
      const resource = request.path.slice(API.length);
      if (resource === 'WhoAmI' && request.method === 'GET') {
        return json(200, { BusinessUnitId: this.organizationId, UserId: request.caller.userId, OrganizationId: this.organizationId });
      }
      if (resource === '$batch' && request.method === 'POST') return await this.batch(request);
      const target = this.target(resource);
      if (target.id === null && request.method === 'GET') return await this.list(request, target.entitySet);
      return await this.execute(this.store, request.caller.userId, request.method, target, request.headers as Record<string, string>, request.body, request.query);
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): EmulatorResponse {
    if (error instanceof ODataError) return { status: error.status, headers: { 'content-type': 'application/json' }, body: errorBody(error.code, error.message) };
    if (error instanceof FilterSyntaxError || error instanceof SyntaxError || error instanceof TypeError) {
      return { status: 400, headers: { 'content-type': 'application/json' }, body: errorBody('0x80060888', error.message) };
    }
    throw error;
  }

  private target(resource: string): { entitySet: string; key: string; id: string | null } {
    const match = /^([a-z]+)(?:\(([0-9a-fA-F-]{36})\))?$/.exec(resource);
    const key = match ? DATAVERSE_ENTITY_SETS[match[1]!] : undefined;
    if (!match || !key) throw new ODataError(404, '0x80060888', `Resource not found for the segment '${resource}'.`);
    return { entitySet: match[1]!, key, id: match[2]?.toLowerCase() ?? null };
  }

  private row(entitySet: string, record: StoredRecord): Record<string, unknown> {
    const key = DATAVERSE_ENTITY_SETS[entitySet]!;
    return { '@odata.etag': etagOf(record), ...record.data, [key]: record.id, modifiedon: record.modifiedAt.toISOString(), versionnumber: record.version };
  }

  private async list(request: EmulatorRequest, entitySet: string): Promise<EmulatorResponse> {
    const { query, headers } = request;
    const pageSize = maxPageSize(headers, MAX_PAGE);
    const select = selected(query);
    const key = DATAVERSE_ENTITY_SETS[entitySet]!;
    const context = `${request.origin}${API}$metadata#${entitySet}`;
    const applied = { 'preference-applied': `odata.maxpagesize=${pageSize}` };
    if (prefers(headers, 'odata.track-changes') || query.has('$deltatoken')) {
      if (query.has('$filter') || query.has('$orderby') || query.has('$top')) {
        // Documented: change tracking takes none of these.
        throw new ODataError(400, '0x80060888', 'The $filter, $orderby and $top query options are not supported when change tracking is enabled.');
      }
      if (query.has('$deltatoken')) return this.delta(request, entitySet, pageSize, select);
    }
    const token = query.get('$skiptoken')
      ? decodeToken<RowToken>(query.get('$skiptoken')!)
      : { after: null, max: prefers(headers, 'odata.track-changes') ? await this.store.currentVersion() : undefined };
    const where = query.get('$filter') ? filterToSql(query.get('$filter')!, (field) => (field === key ? 'id' : field === 'modifiedon' ? 'modified_at' : null)) : null;
    const records = await this.store.list(entitySet, { where, after: token.after ? { id: token.after } : null, limit: pageSize + 1, maxVersion: token.max });
    const page = records.slice(0, pageSize);
    const body: Record<string, unknown> = { '@odata.context': context, value: page.map((record) => project(this.row(entitySet, record), select, [key])) };
    if (records.length > pageSize) {
      body['@odata.nextLink'] = linkWith(request.origin, request.path, query, '$skiptoken', encodeToken({ after: page[page.length - 1]!.id, max: token.max }));
    } else if (token.max !== undefined) {
      const link = new URLSearchParams(select ? { $select: select.join(',') } : {});
      link.set('$deltatoken', String(token.max));
      body['@odata.deltaLink'] = `${request.origin}${request.path}?${link.toString()}`;
    }
    return json(200, body, applied);
  }

  /** Rows written since the token (version order), then the rows deleted since, then a new delta link. */
  private async delta(request: EmulatorRequest, entitySet: string, pageSize: number, select: string[] | null): Promise<EmulatorResponse> {
    const { query } = request;
    const key = DATAVERSE_ENTITY_SETS[entitySet]!;
    const since = Number(query.get('$deltatoken'));
    if (!Number.isInteger(since) || since < 0) throw new ODataError(400, '0x80060888', 'Invalid delta token.');
    const state: DeltaToken = query.get('$skiptoken')
      ? decodeToken<DeltaToken>(query.get('$skiptoken')!)
      : { since, max: await this.store.currentVersion(), phase: 'upserts', after: since };
    const value: Record<string, unknown>[] = [];
    let next: DeltaToken | null = null;
    if (state.phase === 'upserts') {
      const rows = await this.store.changedSince(entitySet, state.after, state.max, pageSize + 1);
      value.push(...rows.slice(0, pageSize).map((record) => project(this.row(entitySet, record), select, [key])));
      next = rows.length > pageSize ? { ...state, after: rows[pageSize - 1]!.version } : { ...state, phase: 'deletes', after: state.since };
    }
    if (state.phase === 'deletes' || (next?.phase === 'deletes' && value.length < pageSize)) {
      const from = state.phase === 'deletes' ? state.after : state.since;
      const room = pageSize - value.length;
      const gone = await this.store.deletedSince(entitySet, from, state.max, room + 1);
      value.push(...gone.slice(0, room).map((t) => ({ '@odata.context': `${request.origin}${API}$metadata#${entitySet}/$deletedEntity`, id: t.id, reason: 'deleted' })));
      next = gone.length > room ? { ...state, phase: 'deletes', after: gone[room - 1]!.version } : null;
    }
    const body: Record<string, unknown> = { '@odata.context': `${request.origin}${API}$metadata#${entitySet}/$delta`, value };
    if (next) body['@odata.nextLink'] = linkWith(request.origin, request.path, query, '$skiptoken', encodeToken(next));
    else body['@odata.deltaLink'] = linkWith(request.origin, request.path, new URLSearchParams(select ? { $select: select.join(',') } : {}), '$deltatoken', String(state.max));
    return json(200, body);
  }

  /** One write or single-row read, on the pool or inside a change set's transaction. */
  private async execute(
    store: RecordStore,
    callerId: string,
    method: string,
    target: { entitySet: string; key: string; id: string | null },
    headers: Readonly<Record<string, string>>,
    body: string,
    query: URLSearchParams,
  ): Promise<EmulatorResponse> {
    const { entitySet, key } = target;
    const ifMatch = headers['if-match'];
    const ifNoneMatch = headers['if-none-match'];
    if (method === 'POST' && target.id === null) {
      const data = recordBody(body);
      const id = typeof data[key] === 'string' ? String(data[key]).toLowerCase() : randomUUID();
      delete data[key];
      if (await store.get(entitySet, id)) throw new ODataError(412, '0x80040237', 'A record with matching key values already exists.');
      await store.put(entitySet, id, { ...data, _modifiedby_value: callerId }, null);
      return { status: 204, headers: { 'odata-entityid': `${this.url}${API}${entitySet}(${id})` } };
    }
    if (target.id === null) throw new ODataError(405, '0x80060888', `${method} needs a key.`);
    const existing = await store.get(entitySet, target.id);
    if (method === 'GET') {
      if (!existing) throw new ODataError(404, '0x80040217', `${entitySet} With Id = ${target.id} Does Not Exist`);
      return json(200, project(this.row(entitySet, existing), selected(query), [key]));
    }
    if (ifMatch !== undefined && ifMatch !== '*' && existing && ifMatch !== etagOf(existing)) {
      throw new ODataError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided.");
    }
    if (ifMatch !== undefined && !existing) throw new ODataError(404, '0x80040217', `${entitySet} With Id = ${target.id} Does Not Exist`);
    if (method === 'DELETE') {
      if (!existing) throw new ODataError(404, '0x80040217', `${entitySet} With Id = ${target.id} Does Not Exist`);
      await store.delete(entitySet, target.id);
      return { status: 204 };
    }
    if (method !== 'PATCH') throw new ODataError(405, '0x80060888', `${method} is not supported here.`);
    if (ifNoneMatch === '*' && existing) throw new ODataError(412, '0x80040237', 'A record with matching key values already exists.');
    const data = bindLookups(recordBody(body));
    delete data[key];
    const written = await store.put(entitySet, target.id, { ...existing?.data, ...data, _modifiedby_value: callerId }, null);
    const entityId = { 'odata-entityid': `${this.url}${API}${entitySet}(${target.id})` };
    // Documented: "Update with data returned" answers 200 with the row (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api).
    if (/\breturn=representation\b/.test(String(headers.prefer ?? ''))) return json(200, project(this.row(entitySet, written), selected(query), [key]), entityId);
    return { status: 204, headers: entityId };
  }

  private async batch(request: EmulatorRequest): Promise<EmulatorResponse> {
    const boundary = boundaryOf(request.headers['content-type']);
    if (!boundary) throw new ODataError(400, '0x80060888', 'A $batch request needs a multipart/mixed body.');
    const parts = parseBatch(request.body, boundary);
    const operations = parts.reduce((n, part) => n + (part.kind === 'changeset' ? part.parts.length : 1), 0);
    if (operations > MAX_BATCH) throw new ODataError(400, '0x80060888', `The batch holds ${operations} requests; at most ${MAX_BATCH} are allowed.`);
    const continueOnError = prefers(request.headers, 'odata.continue-on-error');
    const answers: BatchPart[] = [];
    for (const part of parts) {
      const answer =
        part.kind === 'changeset'
          ? await this.changeSet(request.caller.userId, part.parts)
          : this.answerPart(await this.batchOperation(this.store, request.caller.userId, part.message), part.contentId);
      answers.push(answer);
      // Without odata.continue-on-error Dataverse stops at the first failure.
      if (answer.kind === 'message' && statusOf(answer.message) >= 400 && !continueOnError) break;
    }
    const answerBoundary = `batchresponse_${randomUUID()}`;
    return { status: 200, headers: { 'content-type': `multipart/mixed; boundary=${answerBoundary}` }, body: encodeBatch(answerBoundary, answers) };
  }

  /** All operations in one transaction: a change set answers with every response, or with the one error. */
  private async changeSet(callerId: string, parts: readonly BatchPart[]): Promise<BatchPart> {
    const responses: BatchPart[] = [];
    try {
      await this.store.transaction(async (store) => {
        for (const part of parts) {
          if (part.kind !== 'message') throw new ODataError(400, '0x80060888', 'A change set cannot hold another change set.');
          const answer = await this.batchOperation(store, callerId, part.message);
          if (answer.status >= 400) throw Object.assign(new Error('change set failed'), { answer, contentId: part.contentId });
          responses.push(this.answerPart(answer, part.contentId));
        }
      });
    } catch (error) {
      const failed = error as { answer?: EmulatorResponse; contentId?: string };
      if (!failed.answer) throw error;
      return this.answerPart(failed.answer, failed.contentId);
    }
    return { kind: 'changeset', boundary: `changesetresponse_${randomUUID()}`, parts: responses };
  }

  private async batchOperation(store: RecordStore, callerId: string, message: HttpMessage): Promise<EmulatorResponse> {
    try {
      const [method, url] = message.startLine.split(' ');
      const path = new URL(url!, this.url);
      if (!path.pathname.startsWith(API)) throw new ODataError(404, '0x80060888', `Resource not found: ${path.pathname}`);
      const target = this.target(decodeURIComponent(path.pathname.slice(API.length)));
      return await this.execute(store, callerId, method!, target, message.headers, message.body, path.searchParams);
    } catch (error) {
      return this.failure(error);
    }
  }

  private answerPart(answer: EmulatorResponse, contentId: string | undefined): BatchPart {
    const reason: Record<number, string> = { 200: 'OK', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 412: 'Precondition Failed' };
    return {
      kind: 'message',
      contentId,
      message: { startLine: `HTTP/1.1 ${answer.status} ${reason[answer.status] ?? ''}`.trim(), headers: { ...answer.headers }, body: answer.body ?? '' },
    };
  }
}
