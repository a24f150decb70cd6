import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { EdgeLimits } from '../../config/config';
import { ErrorCode } from '../../errors/error-codes';
import type { OperationDeadlines } from './operation-deadline';

/** Parses JSON bodies up to HTTP_MAX_BODY_BYTES: a longer declared length is refused before a byte is read. */
export function jsonBody(limits: EdgeLimits): RequestHandler {
  return express.json({ limit: limits.maxBodyBytes });
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
 * Runs the rest of the request in an operation scope with the query deadline (a mutation's is
 * set once its kind is known). A client that goes away stops its query, not its mutation: a
 * mutation is a transaction the client can no longer learn the outcome of, so it completes.
 * The scope finishes when Apollo sends the response (see apolloEdgePlugin) or the response ends.
 */
export function operationScope(deadlines: OperationDeadlines, limits: EdgeLimits): RequestHandler {
  return (_req, res, next) => {
    const scope = deadlines.begin(limits.queryTimeoutMs);
    res.once('close', () => {
      if (res.writableFinished) scope.finish();
      else if (scope.kind !== 'mutation') scope.stop('The client went away');
    });
    deadlines.run(scope, next);
  };
}
