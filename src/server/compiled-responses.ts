import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getArgumentValues, getVariableValues, type GraphQLSchema } from 'graphql';
import { UNIFIED_READER } from '../../resolvers/common/unified-queries';
import { grants } from '../auth/role';
import type { EdgeLimits } from '../config/config';
import type { CompiledReads, ResponsePieces } from '../unify/compiled/compiled-reads';
import { decodeUnifiedId, type UnifiedIdParts } from '../unify/unified-id';
import type { PageArgs } from '../unify/unified-list.service';
import { unifiedType } from '../unify/unified-types';
import type { CompiledResponsePlan, CompiledResponsePlans, LookupPlan, RecordPlan } from './compiled-response-plans';
import { beginOperation, readableJsonBody, readJsonBody } from './limits/http-edge';
import type { OperationDeadlines } from './limits/operation-deadline';
import { assertAffordable } from './limits/operation-limits';
import { assertPlainVariables } from './limits/plain-text-input';
import { observeHttp } from './observability/http-observer';
import type { GatewayMetrics } from './observability/metrics';
import { recordOperation, roleOf } from './observability/operation-observer';
import type { GatewayServices } from './services';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Apollo answers application/json unless the client prefers application/graphql-response+json or asks for multipart. */
const acceptsPlainJson = (accept: string | undefined) =>
  accept === undefined ||
  ((accept.includes('application/json') || accept.includes('*/*')) && !accept.includes('graphql-response') && !accept.includes('multipart') && !accept.includes(';'));

/** Extensions (a persisted query's hash…) are Apollo's to check; an empty object asks for none. */
const withoutExtensions = (extensions: unknown) => extensions === undefined || extensions === null || (isRecord(extensions) && Object.keys(extensions).length === 0);

interface Edge {
  readonly schema: GraphQLSchema;
  readonly services: GatewayServices;
  readonly reads: CompiledReads;
  readonly plans: CompiledResponsePlans;
  readonly limits: EdgeLimits;
  readonly deadlines: OperationDeadlines;
  readonly metrics: GatewayMetrics;
  /** Where GraphQL is served over HTTP. */
  readonly path: string;
}

/**
 * The HTTP server's request listener, in front of express (`app`): answers a POSTed unified list
 * or lookup whose document is planned (see compiled-response-plans.ts) with the response text
 * PostgreSQL writes, bytes equal to Apollo's, without express's router and body parser, Apollo's
 * request pipeline, a JSON.parse of the records, graphql execution or a JSON.stringify of the
 * answer. Each request still passes what the route and Apollo check per request (body limits,
 * token and role, variables, cost), runs under the operation's deadline and is logged and measured
 * as an operation. Anything else goes on to express: a request whose body it read with that body
 * parsed (or its refusal, see jsonBody), one it began answering in its operation scope and
 * observed (a refusal, an error, a value graphql-js would write otherwise: Apollo answers as it
 * always has; a read only reads, so running it again there changes nothing).
 */
export function plannedResponses(edge: Edge, app: RequestListener): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== edge.path || !readableJsonBody(req, edge.limits)) return app(req, res);
    observeHttp(edge.metrics, req, res, edge.path);
    void readJsonBody(req).then((body) => {
      const plan = isRecord(body) && typeof body.query === 'string' ? edge.plans.get(body.query, body.operationName) : undefined;
      if (!plan || !withoutExtensions((body as Record<string, unknown>).extensions) || !acceptsPlainJson(req.headers.accept)) return app(req, res);
      const scope = beginOperation(edge.deadlines, edge.limits, res);
      edge.deadlines.run(scope, () =>
        answer(edge, plan, req, res, body as Record<string, unknown>).then(
          (answered) => answered || app(req, res),
          // Once the headers are out, no other answer can follow: the client sees the response cut short.
          () => (res.headersSent ? res.destroy() : app(req, res)),
        ),
      );
    });
  };
}

/** What follows a planned list's text in the response: the ends of `data` and of the body, and Apollo's newline. */
const RESPONSE_END = '}}\n';

/** Arguments written in the document (no variable) are the same for every request: coerced once. */
const literalArguments = new WeakMap<CompiledResponsePlan, Record<string, unknown>>();

/** The field's arguments as graphql-js coerces them; null when the variables do not coerce (Apollo reports why). */
function argumentsOf(schema: GraphQLSchema, plan: CompiledResponsePlan, variables: Record<string, unknown> | undefined): Record<string, unknown> | null {
  const definitions = plan.operation.variableDefinitions ?? [];
  const known = definitions.length ? undefined : literalArguments.get(plan);
  if (known) return known;
  const coerced = getVariableValues(schema, definitions, variables ?? {});
  if (coerced.errors) return null;
  const args = getArgumentValues(plan.definition, plan.field, coerced.coerced);
  if (!definitions.length) literalArguments.set(plan, args);
  return args;
}

async function answer(edge: Edge, plan: CompiledResponsePlan, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<boolean> {
  const started = process.hrtime.bigint();
  const variables = body.variables ?? undefined;
  if (variables !== undefined && !isRecord(variables)) return false;
  const principal = edge.services.tokens.authenticate(req.headers.authorization);
  if (!principal || !grants(principal.roles, UNIFIED_READER)) return false;
  assertPlainVariables(variables);
  assertAffordable(edge.schema, plan.document, typeof body.operationName === 'string' ? body.operationName : undefined, variables, edge.limits);
  const args = argumentsOf(edge.schema, plan, variables);
  if (!args) return false;
  const scope = edge.deadlines.current()!;
  scope.kind = 'query';
  const pieces = plan.kind === 'list' ? await edge.reads.listText(plan.selection, args as unknown as PageArgs, plan.shape) : await lookupText(edge.reads, plan, args);
  if (pieces === null) return false;
  scope.finish();
  const start = `{"data":{${JSON.stringify(plan.responseKey)}:`;
  // The headers express's send writes. The pieces go out as PostgreSQL sent them, between the two
  // ends: joined into one string, they were copied once to be measured and again to be written.
  const length = pieces.reduce((bytes, piece) => bytes + Buffer.byteLength(piece), pieces.length - 1);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(start) + length + RESPONSE_END.length });
  res.cork();
  res.write(start);
  pieces.forEach((piece, index) => res.write(index ? `,${piece}` : piece));
  res.end(RESPONSE_END);
  const reqId = req.headers['x-request-id'] as string;
  recordOperation(edge.metrics, { reqId, operation: plan.operation.name?.value ?? null, type: 'query', role: roleOf(principal), started, errorCodes: [] });
  return true;
}

/** Each id a lookup reads, with the type its record must be of (null: any, for node); null when Apollo must answer. */
function wantedIds(plan: LookupPlan, args: Record<string, unknown>): Array<{ readonly id: unknown; readonly typeName: string | null }> | null {
  if (plan.kind === 'one') return [{ id: args.id, typeName: [...plan.records.keys()][0]! }];
  if (plan.kind === 'node') return [{ id: args.id, typeName: null }];
  const { representations } = args;
  if (!Array.isArray(representations) || !representations.every((reference) => isRecord(reference) && typeof reference.__typename === 'string')) return null;
  return (representations as Array<{ id: unknown; __typename: string }>).map((reference) => ({ id: reference.id, typeName: reference.__typename }));
}

/** An id's parts; null when it is not one this gateway issued (Apollo reports that). */
function issued(id: unknown): UnifiedIdParts | null {
  if (typeof id !== 'string') return null;
  try {
    return decodeUnifiedId(id);
  } catch {
    return null;
  }
}

/**
 * A lookup's answer as UnifiedRecords.byId gives it: `customer(id:)` and `node(id:)` a record or
 * null, `_entities` an array of them in the representations' order, null for an id of another
 * type than its reference's or whose record is gone. Null, for Apollo to answer, when an id is not
 * one this gateway issued, or the records are of several types or of one no statement writes.
 */
async function lookupText(reads: CompiledReads, plan: LookupPlan, args: Record<string, unknown>): Promise<ResponsePieces | null> {
  const wanted = wantedIds(plan, args);
  if (!wanted) return null;
  let record: RecordPlan | undefined;
  const ids: Array<UnifiedIdParts | null> = [];
  for (const { id, typeName } of wanted) {
    const parts = issued(id);
    if (!parts) return null;
    const type = typeName ?? parts.typeName;
    const found = plan.records.get(type);
    if (typeName === null && !found && unifiedType(type) === null) {
      // node(id:) of an id naming no unified type: byId answers null without reading anything.
      ids.push(null);
      continue;
    }
    if (!found || (record && found !== record)) return null;
    record = found;
    ids.push(type === parts.typeName ? parts : null);
  }
  const pieces = record && ids.some(Boolean) ? await reads.lookupText(record.selection, ids, record.shape) : [`[${ids.map(() => 'null').join(',')}]`];
  if (pieces === null) return null;
  // One id's answer is one record: a piece of its own, the array around it taken off.
  return plan.kind === 'entities' ? pieces : [pieces[0]!.slice(1, -1)];
}
