import type { Logger, QueryRunner } from 'typeorm';
import { logger } from '../observability/logger';

/**
 * Counts every SQL statement a data source sends (TypeORM reports each one to its logger), so
 * tests and benchmarks can hold the graph to a constant number of round trips per request.
 */
export class StatementCounter implements Logger {
  private count = 0;
  private readonly watched = new Map<string, number>();

  constructor(
    private readonly label: string,
    private readonly echo: boolean,
  ) {}

  get statements(): number {
    return this.count;
  }

  /** Counts, from now on, the statements whose text holds `fragment` (a table's name), for tests that hold a write to one statement per batch. */
  watch(fragment: string): () => number {
    this.watched.set(fragment, 0);
    return () => this.watched.get(fragment) ?? 0;
  }

  logQuery(query: string, parameters?: unknown[], _queryRunner?: QueryRunner): void {
    this.count += 1;
    for (const [fragment, count] of this.watched) if (query.includes(fragment)) this.watched.set(fragment, count + 1);
    if (this.echo) logger.info({ store: this.label, sql: query, parameters }, 'sql');
  }

  logQueryError(error: string | Error, query: string): void {
    logger.warn({ store: this.label, sql: query, error: error instanceof Error ? error.message : error }, 'sql statement failed');
  }

  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    if (this.echo) logger.info({ store: this.label }, `migration: ${message}`);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    // An idle pooled connection closed by the server's shutdown (or a dropped database) is expected, not news.
    if (level === 'warn' && !/terminating connection due to administrator command/.test(String(message))) logger.warn({ store: this.label }, `typeorm: ${String(message)}`);
  }
}
