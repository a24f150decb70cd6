import pino from 'pino';

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
 * The process's structured log: one JSON object per line on stdout, with an ISO time and the
 * level as a word, so that a log collector needs no configuration. Modules log through it
 * instead of the console; the level is set from LOG_LEVEL at start-up (see setLogLevel).
 */
export const logger = pino({
  base: { service: 'erp-crm-gateway', pid: process.pid },
  level: 'info',
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: { paths: REDACTED, censor: '[redacted]' },
});

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function setLogLevel(level: LogLevel): void {
  logger.level = level;
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
