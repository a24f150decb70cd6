import type { UnifiedType } from '../unified-types';
import type { SideTable } from './side-table';

/** The columns of one unified record as a compiled statement reads them: its link's, its ERP side's and its CRM side's. */
export interface RecordColumns {
  readonly type: UnifiedType;
  readonly erp: SideTable;
  readonly crm: SideTable;
  /** A column of the record's integration row. */
  link(column: string): string;
  /** A column of the record's ERP row (by column name). */
  erpColumn(column: string): string;
  crmColumn(column: string): string;
  /** The side's key: null when the record has no such side. */
  erpKey(): string;
  crmKey(): string;
}

/**
 * One set of records in a compiled statement (a page, the looked-up records, a relation's records
 * for a whole set of referring records): a CTE whose rows each bind one unified record's
 * integration row (`l`), ERP row (`e`) and CRM row (`c`), carrying only the columns the
 * statement reads of them. Link columns keep their names, side columns are prefixed `e_` and `c_`;
 * `rid` numbers the rows.
 */
export class RecordSet implements RecordColumns {
  private readonly carried = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly type: UnifiedType,
    readonly erp: SideTable,
    readonly crm: SideTable,
  ) {
    this.erpKey();
    this.crmKey();
  }

  /** A column of the record's integration row, as the set's consumers refer to it. */
  link(column: string): string {
    return this.carry(column, `l.${column}`);
  }

  /** A column of the record's ERP row (by column name). */
  erpColumn(column: string): string {
    return this.carry(`e_${column}`, `e.${column}`);
  }

  crmColumn(column: string): string {
    return this.carry(`c_${column}`, `c.${column}`);
  }

  /** The side's key: null when the record has no such side. */
  erpKey(): string {
    return this.erpColumn(this.erp.key);
  }

  crmKey(): string {
    return this.crmColumn(this.crm.key);
  }

  /** The columns of the integration row the set carries. */
  linkColumns(): string[] {
    return [...this.carried].filter(([, source]) => source.startsWith('l.')).map(([name]) => name);
  }

  /** The carried columns, as a select list over the rows bound to `l`, `e` and `c`. */
  selectList(): string {
    return [...this.carried].map(([name, source]) => `${source} AS ${name}`).join(', ');
  }

  private carry(name: string, source: string): string {
    this.carried.set(name, source);
    return `${this.name}.${name}`;
  }
}
