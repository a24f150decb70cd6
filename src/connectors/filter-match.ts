import type { DomainRecord } from './table-descriptor';
import { FilterOperator, type FilterCondition, type RecordFilter } from '../../entities/integration/record-filter';

const comparable = (value: unknown): string | number => (value instanceof Date ? value.toISOString() : typeof value === 'number' ? value : String(value));

function holds(record: DomainRecord, condition: FilterCondition): boolean {
  const actual: unknown = record[condition.field];
  const expected = condition.value;
  const missing = actual === null || actual === undefined;
  switch (condition.op) {
    case FilterOperator.EQ:
      return expected === null || expected === undefined ? missing : !missing && String(actual) === String(expected);
    case FilterOperator.NE:
      return expected === null || expected === undefined ? !missing : missing || String(actual) !== String(expected);
    case FilterOperator.IN:
      return !missing && Array.isArray(expected) && expected.some((value) => String(value) === String(actual));
    case FilterOperator.IS_NULL:
      return missing;
    case FilterOperator.IS_NOT_NULL:
      return !missing;
    case FilterOperator.GTE:
      return !missing && comparable(actual) >= comparable(expected);
    case FilterOperator.LTE:
      return !missing && comparable(actual) <= comparable(expected);
    case FilterOperator.CONTAINS:
      return !missing && String(actual).toLowerCase().includes(String(expected).toLowerCase());
    default:
      return false;
  }
}

/**
 * The same test a connector applies in its query, for a record already loaded; the connector
 * contract test holds the two together.
 */
export function matchesFilter(record: DomainRecord, filter: RecordFilter): boolean {
  return filter.every((condition) => holds(record, condition));
}
