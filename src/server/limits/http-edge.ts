import type { IncomingMessage } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { EdgeLimits } from '../../config/config';
import { ErrorCode } from '../../errors/error-codes';
import type { OperationDeadlines, OperationScope } from './operation-deadline';

/** What bodyErrors reads of a refusal: body-parser's type and status. */
interface BodyFailure {
  readonly type: string;
  readonly status: number;
}

/** Bodies readJsonBody could not read or parse, passed on to bodyErrors by jsonBody. */
const bodyFailures = new WeakMap<IncomingMessage, BodyFailure>();

/** Parses JSON bodies up to HTTP_MAX_BODY_BYTES: a longer declared length is refused before a byte is read. */
export function jsonBody(limits: EdgeLimits): RequestHandler {
  const parse = express.json({ limit: limits.maxBodyBytes });
  // Body-parser skips a request whose body was read already (readJsonBody's), keeping its req.body.
  return (req, res, next) => {
    const failure = bodyFailures.get(req);
    if (failure) return next(failure);
    parse(req, res, next);
  };
}

/** application/json, in UTF-8 (JSON's default): body-parser decodes anything else (other charsets, compressed bodies). */
const JSON_IN_UTF8 = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** Whether readJsonBody reads this body as body-parser would: JSON in UTF-8, not compressed, of a declared length within the limit. */
export function readableJsonBody(req: IncomingMessage, limits: EdgeLimits): boolean {
  const { headers } = req;
  const type = headers['content-type'];
  const length = headers['content-length'];
  const encoding = headers['content-encoding'];
  return (
    type !== undefined &&
    JSON_IN_UTF8.test(type) &&
    (encoding === undefined || encoding.toLowerCase() === 'identity') &&
    headers['transfer-encoding'] === undefined &&
    length !== undefined &&
    Number(length) <= limits.maxBodyBytes
  );
}

const BYTE_ORDER_MARK = 0xfeff;

/**
 * Reads a body readableJsonBody accepts and parses it as express.json() does (strict: an object or
 * an array, an empty body as {}, a byte order mark dropped), setting req.body; when it cannot be
 * read or parsed, undefined, and jsonBody passes the refusal body-parser would have made on to
 * bodyErrors.
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const fail = (failure: BodyFailure) => {
      bodyFailures.set(req, failure);
      resolve(undefined);
    };
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', () => fail({ type: 'request.aborted', status: 400 }));
    req.once('end', () => {
      let text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      if (text.charCodeAt(0) === BYTE_ORDER_MARK) text = text.slice(1);
      const first = text.trimStart()[0];
      if (text.length > 0 && first !== '{' && first !== '[') return fail({ type: 'entity.parse.failed', status: 400 });
      try {
        const body: unknown = text.length === 0 ? {} : JSON.parse(text);
        (req as IncomingMessage & { body?: unknown }).body = body;
        resolve(body);
      } catch {
        fail({ type: 'entity.parse.failed', status: 400 });
      }
    });
  });
}

/** Body-parser's refusals (413, malformed JSON) as GraphQL-shaped JSON rather than express's HTML page. */
export const bodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
  if (res.headersSent) return next(error);
  const tooLarge = error.type === 'entity.too.large';
  const status = tooLarge ? 413 : (error.status ?? 400);
  if (status >= 500) return next(error);
  const code = tooLarge ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.BAD_REQUEST;
  const message = tooLarge
    ? 'The request body is larger than this server accepts'
    : error.type === 'entity.parse.failed'
      ? 'The request body is not valid JSON'
      : 'The request body cannot be read';
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

/**
 * Starts an operation scope with the query deadline (a mutation's is set once its kind is known).
 * A client that goes away stops its query, not its mutation: a mutation is a transaction the
 * client can no longer learn the outcome of, so it completes. The scope finishes when Apollo sends
 * the response (see apolloEdgePlugin) or the response ends.
 */
export function beginOperation(deadlines: OperationDeadlines, limits: EdgeLimits, res: NodeJS.EventEmitter & { readonly writableFinished: boolean }): OperationScope {
  const scope = deadlines.begin(limits.queryTimeoutMs);
  res.once('close', () => {
    if (res.writableFinished) scope.finish();
    else if (scope.kind !== 'mutation') scope.stop('The client went away');
  });
  return scope;
}

/** Runs the rest of the request in its operation scope: the one begun before express (plannedResponses, compiled-responses.ts), or a new one. */
export function operationScope(deadlines: OperationDeadlines, limits: EdgeLimits): RequestHandler {
  return (_req, res, next) => {
    if (deadlines.current()) return next();
    deadlines.run(beginOperation(deadlines, limits, res), next);
  };
}
