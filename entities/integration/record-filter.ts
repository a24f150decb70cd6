import { registerEnumType } from 'type-graphql';

export enum FilterOperator {
  EQ = 'EQ',
  NE = 'NE',
  IN = 'IN',
  IS_NULL = 'IS_NULL',
  IS_NOT_NULL = 'IS_NOT_NULL',
  GTE = 'GTE',
  LTE = 'LTE',
  CONTAINS = 'CONTAINS',
}

registerEnumType(FilterOperator, { name: 'FilterOperator' });

/**
 * One condition on a field of one system's table. Table-mapping filters are lists of these
 * (all must hold), stored as JSON and translated by each connector: typed, never free SQL.
 */
export interface FilterCondition {
  field: string;
  op: FilterOperator;
  value?: string | number | boolean | readonly (string | number)[] | null;
}

export type RecordFilter = readonly FilterCondition[];
