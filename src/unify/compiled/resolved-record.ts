import type { UnifiedType } from '../unified-types';
import type { RecordColumns } from './record-set';
import { Unwritable } from './response-text';
import type { ColumnKind, SideTable } from './side-table';

/** The link columns a resolved reference keeps: the coupling's, which its record's fields and sync state read. */
export const RESOLVED_LINK_COLUMNS: readonly string[] = [
  'erp_id',
  'crm_id',
  'coupled_at',
  'last_synced_at',
  'last_synced_erp_modified_at',
  'last_synced_crm_modified_at',
  'last_result',
  'last_error',
];
const LINK_TIMESTAMPS = new Set(['coupled_at', 'last_synced_at', 'last_synced_erp_modified_at', 'last_synced_crm_modified_at']);

/** jsonb keeps a column's value as JSON; read back as text, these casts give the column's value again (a timestamp to the microsecond). */
const CASTS: Readonly<Record<ColumnKind, string>> = { text: '', int: '::int', numeric: '::numeric', boolean: '::boolean', timestamp: '::timestamptz' };

const kinds = (table: SideTable) => new Map([...table.columns.values()].map((column) => [column.column, column.kind]));

/**
 * A record of `integration.resolved_reference`, joined as `name`: its link, ERP row and CRM row
 * kept as jsonb by the write side, read back as the columns a compiled statement reads.
 */
export class ResolvedRecord implements RecordColumns {
  readonly erp: SideTable;
  readonly crm: SideTable;
  private readonly erpKinds: ReadonlyMap<string, ColumnKind>;
  private readonly crmKinds: ReadonlyMap<string, ColumnKind>;

  constructor(
    readonly name: string,
    readonly type: UnifiedType,
    sides: { readonly erp: SideTable; readonly crm: SideTable },
  ) {
    this.erp = sides.erp;
    this.crm = sides.crm;
    this.erpKinds = kinds(sides.erp);
    this.crmKinds = kinds(sides.crm);
  }

  link(column: string): string {
    if (!RESOLVED_LINK_COLUMNS.includes(column)) throw new Unwritable(column);
    return this.field('link', column, LINK_TIMESTAMPS.has(column) ? 'timestamp' : 'text');
  }

  erpColumn(column: string): string {
    return this.field('erp', column, this.erpKinds.get(column) ?? 'text');
  }

  crmColumn(column: string): string {
    return this.field('crm', column, this.crmKinds.get(column) ?? 'text');
  }

  erpKey(): string {
    return this.erpColumn(this.erp.key);
  }

  crmKey(): string {
    return this.crmColumn(this.crm.key);
  }

  private field(document: 'link' | 'erp' | 'crm', column: string, kind: ColumnKind): string {
    return `(${this.name}.${document} ->> '${column}')${CASTS[kind]}`;
  }
}
