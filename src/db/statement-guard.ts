import type { DataSource } from 'typeorm';

/**
 * Watches a statement a store runs straight on a pg client, outside TypeORM (whose statements
 * its subscribers see), so that the operation it runs for can refuse it or cancel it.
 */
export interface StatementGuard {
  /**
   * Called in the operation's context before a client is taken (a pool may hand one over from
   * another operation's release, outside this one's context); the returned call, once the client
   * is known, before the statement is sent on its server process `pid`, throws to refuse it or
   * returns the call for when it ends.
   */
  statementStarting(store: DataSource): (pid: number) => () => void;
}
