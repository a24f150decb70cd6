/** Socket-level failures: the server is not there, or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * SQLSTATEs that say the database cannot serve now: connection exceptions (class 08), the
 * server shutting down or starting (57P01–57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|the database system is (starting up|shutting down)/i;

/** Whether an error (or one it wraps) means a store cannot be reached, rather than a bug. */
export function isStoreUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  if (MESSAGES.test(error.message)) return true;
  const wrapped = error as { driverError?: unknown; cause?: unknown; originalError?: unknown };
  if (error instanceof AggregateError && error.errors.some((inner) => isStoreUnavailable(inner, depth + 1))) return true;
  return [wrapped.driverError, wrapped.cause, wrapped.originalError].some((inner) => isStoreUnavailable(inner, depth + 1));
}

/** A statement cancelled (57014): an operation's deadline passed, or its client went away. */
export function isStatementCancelled(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if ((error as { code?: unknown }).code === '57014') return true;
  const wrapped = error as { driverError?: unknown; cause?: unknown; originalError?: unknown };
  return [wrapped.driverError, wrapped.cause, wrapped.originalError].some((inner) => isStatementCancelled(inner, depth + 1));
}
