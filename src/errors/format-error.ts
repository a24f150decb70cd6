import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';
import { logger } from '../observability/logger';

const publicCodes = new Set<string>(Object.values(ErrorCode));

/**
 * The one place where failures become what a client sees: domain errors keep their code and
 * message, GraphQL's own validation keeps Apollo's code, and anything unexpected is logged once
 * and, in production, reduced to a generic message with no stack trace or SQL.
 */
export function createErrorFormatter(production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { ...original.details, code: original.code },
      };
    }
    if (original instanceof ArgumentValidationError) {
      return {
        message: 'Argument validation failed: ' + original.extensions.validationErrors.map((e) => Object.values(e.constraints ?? {}).join(', ')).join('; '),
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && publicCodes.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return production ? { ...formatted, extensions: { code } } : formatted;
    }
    if (typeof code === 'string' && code.startsWith('GRAPHQL_')) return production ? { ...formatted, extensions: { code } } : formatted;
    logger.error({ err: original }, 'unexpected error');
    if (!production) return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
