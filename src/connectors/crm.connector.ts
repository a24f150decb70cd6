import { PostgresSystemConnector } from './postgres-system.connector';

/** The Dynamics 365 Sales-style CRM, stored in PostgreSQL; records are keyed by their GUID. */
export class CrmConnector extends PostgresSystemConnector {
  readonly system = 'crm' as const;
  protected readonly keyProperty = 'id';
}
