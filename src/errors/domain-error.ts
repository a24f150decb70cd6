import { ErrorCode } from './error-codes';

/** An expected failure with a public code; its message is safe to show to a client. */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const refused = (code: ErrorCode, message: string, details?: Record<string, unknown>) => new DomainError(code, message, details);

export const badInput = (message: string, details?: Record<string, unknown>) => new DomainError(ErrorCode.BAD_USER_INPUT, message, details);

export const notFound = (message: string, details?: Record<string, unknown>) => new DomainError(ErrorCode.NOT_FOUND, message, details);

export const unauthenticated = (message: string) => new DomainError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message: string) => new DomainError(ErrorCode.FORBIDDEN, message);
