import type { RequestHandler, Request, Response } from 'express';
import { getArgumentValues, getVariableValues, type GraphQLSchema } from 'graphql';
import { UNIFIED_READER } from '../../resolvers/common/unified-queries';
import { grants } from '../auth/role';
import type { EdgeLimits } from '../config/config';
import type { CompiledReads } from '../unify/compiled/compiled-reads';
import type { PageArgs } from '../unify/unified-list.service';
import type { CompiledResponsePlan, CompiledResponsePlans } from './compiled-response-plans';
import type { OperationDeadlines } from './limits/operation-deadline';
import { assertAffordable } from './limits/operation-limits';
import { assertPlainVariables } from './limits/plain-text-input';
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
}

/**
 * Answers a POSTed unified list whose document is planned (see compiled-response-plans.ts) with
 * the response text PostgreSQL writes, bytes equal to Apollo's, without Apollo's request pipeline,
 * a JSON.parse of the records, graphql execution or a JSON.stringify of the answer. Each request
 * still passes what Apollo checks per request (token and role, variables, cost), runs under the
 * operation's deadline and is logged and measured as an operation. Anything else (a refusal, an
 * error, a value graphql-js would write otherwise) goes on to Apollo, which answers as it always
 * has; a read only reads, so running it again there changes nothing.
 */
export function compiledResponses(edge: Edge): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (req.method !== 'POST' || !isRecord(body) || typeof body.query !== 'string') return next();
    const plan = edge.plans.get(body.query, body.operationName);
    if (!plan || !withoutExtensions(body.extensions) || !acceptsPlainJson(req.headers.accept) || !req.is('application/json')) return next();
    answer(edge, plan, req, res, body).then(
      (answered) => answered || next(),
      (error: unknown) => (res.headersSent ? next(error) : next()),
    );
  };
}

/** What follows a planned list's text in the response: the ends of `data` and of the body, and Apollo's newline. */
const RESPONSE_END = '}}\n';

/** Arguments written in the document (no variable) are the same for every request: coerced once. */
const literalArguments = new WeakMap<CompiledResponsePlan, PageArgs>();

/** The list's arguments as graphql-js coerces them; null when the variables do not coerce (Apollo reports why). */
function argumentsOf(schema: GraphQLSchema, plan: CompiledResponsePlan, variables: Record<string, unknown> | undefined): PageArgs | null {
  const definitions = plan.operation.variableDefinitions ?? [];
  const known = definitions.length ? undefined : literalArguments.get(plan);
  if (known) return known;
  const coerced = getVariableValues(schema, definitions, variables ?? {});
  if (coerced.errors) return null;
  const args = getArgumentValues(plan.definition, plan.field, coerced.coerced) as unknown as PageArgs;
  if (!definitions.length) literalArguments.set(plan, args);
  return args;
}

async function answer(edge: Edge, plan: CompiledResponsePlan, req: Request, res: Response, body: Record<string, unknown>): Promise<boolean> {
  const started = process.hrtime.bigint();
  const variables = body.variables ?? undefined;
  if (variables !== undefined && !isRecord(variables)) return false;
  const principal = edge.services.tokens.authenticate(req.headers.authorization);
  if (!principal || !grants(principal.roles, UNIFIED_READER)) return false;
  assertPlainVariables(variables);
  assertAffordable(edge.schema, plan.document, typeof body.operationName === 'string' ? body.operationName : undefined, variables, edge.limits);
  const args = argumentsOf(edge.schema, plan, variables);
  if (!args) return false;
  const scope = edge.deadlines.current();
  if (scope) scope.kind = 'query';
  const text = await edge.reads.listText(plan.selection, args, plan.shape);
  if (text === null) return false;
  scope?.finish();
  const start = `{"data":{${JSON.stringify(plan.responseKey)}:`;
  // The headers express's send writes. The text goes out as PostgreSQL sent it, between the two
  // ends: joined into one string, it was copied once to be measured and again to be written.
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(start) + Buffer.byteLength(text) + RESPONSE_END.length });
  res.write(start);
  res.write(text);
  res.end(RESPONSE_END);
  const reqId = req.headers['x-request-id'] as string;
  recordOperation(edge.metrics, { reqId, operation: plan.operation.name?.value ?? null, type: 'query', role: roleOf(principal), started, errorCodes: [] });
  return true;
}
