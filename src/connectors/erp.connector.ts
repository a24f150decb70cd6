import { PostgresSystemConnector } from './postgres-system.connector';

/** The Business Central-style ERP, stored in PostgreSQL; records are keyed by SystemId. */
export class ErpConnector extends PostgresSystemConnector {
  readonly system = 'erp' as const;
  protected readonly keyProperty = 'systemId';
}
