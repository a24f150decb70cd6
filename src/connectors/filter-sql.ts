import type { EntityMetadata, SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { FilterOperator, type FilterCondition, type RecordFilter } from '../../entities/integration/record-filter';
import { badInput } from '../errors/domain-error';

function columnOf(metadata: EntityMetadata, field: string): string {
  const column = metadata.findColumnWithPropertyName(field);
  if (!column) throw badInput(`Unknown field "${field}" on ${metadata.tableName}`, { field });
  return column.databaseName;
}

function conditionSql(alias: string, metadata: EntityMetadata, condition: FilterCondition, param: string): [string, Record<string, unknown>] {
  const column = `${alias}.${columnOf(metadata, condition.field)}`;
  const value = condition.value;
  switch (condition.op) {
    case FilterOperator.EQ:
      return value === null || value === undefined ? [`${column} IS NULL`, {}] : [`${column} = :${param}`, { [param]: value }];
    case FilterOperator.NE:
      return value === null || value === undefined ? [`${column} IS NOT NULL`, {}] : [`${column} IS DISTINCT FROM :${param}`, { [param]: value }];
    case FilterOperator.IN:
      if (!Array.isArray(value)) throw badInput(`Filter IN on "${condition.field}" needs a list`, { field: condition.field });
      return [`${column} = ANY(:${param})`, { [param]: value }];
    case FilterOperator.IS_NULL:
      return [`${column} IS NULL`, {}];
    case FilterOperator.IS_NOT_NULL:
      return [`${column} IS NOT NULL`, {}];
    case FilterOperator.GTE:
      return [`${column} >= :${param}`, { [param]: value }];
    case FilterOperator.LTE:
      return [`${column} <= :${param}`, { [param]: value }];
    case FilterOperator.CONTAINS:
      return [`${column}::text ILIKE :${param}`, { [param]: `%${String(value).replace(/[\\%_]/g, '\\$&')}%` }];
    default:
      throw badInput(`Unknown filter operator "${String(condition.op)}"`);
  }
}

/** Refuses a filter that names a field the table lacks or gives an operator the wrong value. */
export function checkFilter(metadata: EntityMetadata, filter: RecordFilter): void {
  for (const condition of filter) {
    columnOf(metadata, condition.field);
    const value = condition.value;
    const list = Array.isArray(value);
    if (condition.op === FilterOperator.IN && !list) throw badInput(`Filter IN on "${condition.field}" needs a list of values`, { field: condition.field });
    if (condition.op !== FilterOperator.IN && list) throw badInput(`Filter ${condition.op} on "${condition.field}" takes one value, not a list`, { field: condition.field });
    const needsValue = [FilterOperator.GTE, FilterOperator.LTE, FilterOperator.CONTAINS].includes(condition.op);
    if (needsValue && (value === null || value === undefined)) throw badInput(`Filter ${condition.op} on "${condition.field}" needs a value`, { field: condition.field });
  }
}

/** Adds a typed filter to a query; field names are checked against the table's columns. */
export function applyFilter<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, filter: RecordFilter | undefined): SelectQueryBuilder<T> {
  const metadata = query.expressionMap.mainAlias!.metadata;
  (filter ?? []).forEach((condition, index) => {
    const [sql, params] = conditionSql(query.alias, metadata, condition, `filter_${index}`);
    query.andWhere(sql, params);
  });
  return query;
}
