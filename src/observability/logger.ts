import pino from 'pino';
import { GatheredLines } from './gathered-lines';

/**
 * Paths of anything secret that might ride on a logged object: bearer tokens, connection
 * parameters, passwords and connection strings. Their values are replaced, the keys kept.
 */
const REDACTED = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'connectionParams',
  '*.connectionParams',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'connectionString',
  '*.connectionString',
  'databaseUrl',
  '*.databaseUrl',
];

/**
 * Fields of an error that a log line must not carry: the pg connection an error was raised on
 * (pg-boss's errors hold it, with its parameters and the server's cancel key) and a failed
 * statement's values (record data). The statement's text, codes and stack stay.
 */
const UNLOGGED_ERROR_FIELDS = ['client', 'connection', 'connectionParameters', 'parameters'];

/** pino's error serializer, without the unlogged fields, here and in a TypeORM error's driver error. */
function errorForLog(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const serialized = pino.stdSerializers.err(value) as unknown as Record<string, unknown>;
  for (const field of UNLOGGED_ERROR_FIELDS) delete serialized[field];
  const driverError = (value as { driverError?: unknown }).driverError;
  if (driverError !== undefined) serialized.driverError = errorForLog(driverError);
  return serialized;
}

/** pino's own rule for stdout: a log reader that has gone away (EPIPE) costs the lines, not the process. */
function logOutput(out: NodeJS.WriteStream): NodeJS.WriteStream {
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return out;
}

/** What both logs write alike: the service and pid, an ISO time, the level as a word, errors without their unlogged fields. */
const OPTIONS: pino.LoggerOptions<never> = {
  base: { service: 'erp-crm-gateway', pid: process.pid },
  level: 'info',
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  serializers: { err: errorForLog },
};

const stdout = logOutput(process.stdout);

/**
 * The process's structured log: one JSON object per line on stdout, with an ISO time and the
 * level as a word, so that a log collector needs no configuration. Modules log through it
 * instead of the console; the level is set from LOG_LEVEL at start-up (see setLogLevel).
 *
 * Lines go through process.stdout, not pino's default sonic-boom: on a pipe, Node writes at once
 * without blocking and keeps in memory what a paused reader does not take, so a line costs one
 * write(2) on the event loop rather than a round trip through the thread pool, and a slow
 * collector never stalls requests. A file or a terminal is written synchronously.
 */
export const logger = pino({ ...OPTIONS, redact: { paths: REDACTED, censor: '[redacted]' } }, stdout);

/** How long an operation's line may wait to be written with the next ones. */
const OPERATION_LINES_MS = 20;

/** How many bytes of lines a log reader may leave unread before operation lines are dropped (setLogBufferLimit). */
export const DEFAULT_LOG_BUFFER_BYTES = 1_048_576;

const operationLines = new GatheredLines(
  stdout,
  OPERATION_LINES_MS,
  (lines) => logger.warn({ droppedLines: lines }, 'operation log lines dropped: the log reader left more than LOG_BUFFER_BYTES unread'),
  DEFAULT_LOG_BUFFER_BYTES,
);
process.once('exit', () => operationLines.flush());

/**
 * The log of GraphQL operations (one line per operation): its fields are ids, names, a role, a
 * duration and error codes, never a secret, so it goes without the redaction, whose wildcard
 * paths copy and search every value of every line. Its lines are gathered for up to
 * OPERATION_LINES_MS and written together (see GatheredLines): under load a write per line cost
 * more than the line. Its level is the process log's (setLogLevel). Unlike the process log's rare lines,
 * its flood is dropped past LOG_BUFFER_BYTES left unread (see GatheredLines).
 */
export const operationLogger = pino(OPTIONS, operationLines);

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function setLogLevel(level: LogLevel): void {
  logger.level = level;
  operationLogger.level = level;
}

/** Past this many bytes left unread by the log's reader, operation lines are dropped, counted in a warning once it reads again. */
export function setLogBufferLimit(bytes: number): void {
  operationLines.limit = bytes;
}

/** A connection string fit for a log line or a message: its password replaced. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[not a URL]';
  }
}
