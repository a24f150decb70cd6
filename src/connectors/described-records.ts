import type { DomainRecord, TableDescriptor } from './table-descriptor';

/**
 * What every connector answers from a table's descriptor alone: a new record's values, the fields
 * a record lacks, a text field's width. Built from the descriptor once per table: they run per record.
 */
export class DescribedRecords {
  private readonly blanks = new WeakMap<TableDescriptor, Readonly<DomainRecord>>();
  private readonly required = new WeakMap<TableDescriptor, readonly string[]>();

  keyOf(table: TableDescriptor, record: DomainRecord): string {
    return record[table.keyField] as string;
  }

  blankRecord<T extends DomainRecord>(table: TableDescriptor<T>, key: string): T {
    let blank = this.blanks.get(table);
    if (!blank) {
      // Built in one go: an object given more than a dozen properties one by one falls into V8's dictionary mode, and every copy of it is then slow.
      blank = Object.fromEntries([...table.fields.values()].map((field) => [field.name, field.defaultValue]));
      this.blanks.set(table, blank);
    }
    return { ...blank, [table.keyField]: key } as T;
  }

  missingRequired(table: TableDescriptor, record: DomainRecord): string[] {
    let required = this.required.get(table);
    if (!required) {
      required = [...table.fields.values()].filter((field) => field.required).map((field) => field.name);
      this.required.set(table, required);
    }
    return required.filter((field) => record[field] === null || record[field] === undefined);
  }

  maxLength(table: TableDescriptor, field: string): number | null {
    return table.fields.get(field)?.maxLength ?? null;
  }
}
