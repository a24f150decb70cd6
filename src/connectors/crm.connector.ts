import { PostgresSystemConnector } from './postgres-system.connector';
import type { DomainRecord, Table } from './system-connector';

/** The Dynamics 365 Sales-style CRM, stored in PostgreSQL; records are keyed by their GUID. */
export class CrmConnector extends PostgresSystemConnector {
  readonly system = 'crm' as const;
  protected readonly keyProperty = 'id';

  /** The CRM numbers its records itself (auto-numbering) or not at all. */
  async takeNumbers<T extends DomainRecord>(_table: Table<T>, _field: keyof T & string, _count: number): Promise<string[] | null> {
    return null;
  }
}
