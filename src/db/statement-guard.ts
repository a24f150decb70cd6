import type { DataSource } from 'typeorm';

/**
 * Watches a statement a store runs straight on a pg client, outside TypeORM (whose statements
 * its subscribers see), so that the operation it runs for can refuse it or cancel it.
 */
export interface StatementGuard {
  /** Before the statement is sent on the server process `pid`: throws to refuse it, returns the call for when it ends. */
  statementStarting(store: DataSource, pid: number): () => void;
}
