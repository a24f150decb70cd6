import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';
import { logger } from '../observability/logger';
import { isStatementCancelled, isStoreUnavailable } from './store-errors';

const publicCodes = new Set<string>(Object.values(ErrorCode));

/** Apollo Server's and graphql-js's own refusals: the client's mistake, never news for the logs. */
const REQUEST_CODES = new Set([
  'BAD_REQUEST',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** graphql-js's parser stopping at `maxTokens`. */
const TOKEN_LIMIT = /Document contains more tha[nt] \d+ tokens/;

/** Messages quote what the client sent (a cursor, a variable's value): never all of it. */
const MAX_MESSAGE_LENGTH = 300;

/** The DomainError an error stands for, if any: thrown by a resolver, a validation rule or a plugin. */
export function domainErrorIn(error: unknown): DomainError | null {
  let current = error;
  for (let depth = 0; current && depth < 6; depth += 1) {
    if (current instanceof DomainError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return null;
}

const clip = (message: string) => (message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}… (${message.length} characters)` : message);

/**
 * The one place where failures become what a client sees: domain errors keep their code and
 * message, Apollo's and GraphQL's own refusals keep their codes, a store that cannot be reached is
 * SERVICE_UNAVAILABLE, and anything else is logged once and, in production, reduced to a generic
 * message with no stack trace or SQL.
 */
export function createErrorFormatter(production: boolean) {
  const shape = (formatted: GraphQLFormattedError, code: string, message: string, details: Record<string, unknown> = {}): GraphQLFormattedError => ({
    message: clip(message),
    locations: formatted.locations,
    path: formatted.path,
    extensions: production ? { ...details, code } : { ...formatted.extensions, ...details, code },
  });
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const domain = domainErrorIn(error);
    if (domain) return shape(formatted, domain.code, domain.message, { ...domain.details });
    const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
    if (original instanceof ArgumentValidationError) {
      const problems = original.extensions.validationErrors.map((e) => Object.values(e.constraints ?? {}).join(', ')).join('; ');
      return shape(formatted, ErrorCode.BAD_USER_INPUT, `Argument validation failed: ${problems}`);
    }
    const code = formatted.extensions?.code;
    if (code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT.test(formatted.message)) return shape(formatted, ErrorCode.QUERY_TOO_COMPLEX, formatted.message);
    if (typeof code === 'string' && REQUEST_CODES.has(code)) {
      if (code === ErrorCode.BAD_REQUEST) logger.info({ code, message: clip(formatted.message) }, 'refused request');
      return shape(formatted, code, formatted.message);
    }
    if (typeof code === 'string' && publicCodes.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return shape(formatted, code, formatted.message);
    if (isStatementCancelled(original)) return shape(formatted, ErrorCode.DEADLINE_EXCEEDED, 'The operation was stopped (its deadline passed or its client went away)');
    if (isStoreUnavailable(original)) {
      logger.warn({ err: original }, 'a store is unavailable');
      return shape(formatted, ErrorCode.SERVICE_UNAVAILABLE, 'A database the gateway needs cannot be reached; try again shortly');
    }
    logger.error({ err: original }, 'unexpected error');
    if (!production) return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
