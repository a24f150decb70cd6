import { Field, InputType, ObjectType } from 'type-graphql';
import { FilterOperator, type FilterCondition, type RecordFilter } from '../../entities/integration/record-filter';

@ObjectType('FilterCondition', { description: "One condition on a field of one system's table; a filter holds when all its conditions do." })
export class FilterConditionType {
  @Field()
  field!: string;

  @Field(() => FilterOperator)
  op!: FilterOperator;

  @Field(() => String, { nullable: true, description: 'The value compared with (not for IN, IS_NULL, IS_NOT_NULL).' })
  value!: string | null;

  @Field(() => [String], { nullable: true, description: 'The values of an IN condition.' })
  values!: string[] | null;
}

@InputType({ description: 'One condition of a table mapping filter. Fields are the entity fields of the ERP or CRM table (as in the erp / crm types).' })
export class FilterConditionInput {
  @Field()
  field!: string;

  @Field(() => FilterOperator)
  op!: FilterOperator;

  @Field(() => String, { nullable: true })
  value?: string | null;

  @Field(() => [String], { nullable: true })
  values?: string[] | null;
}

export function toFilterType(filter: RecordFilter): FilterConditionType[] {
  return filter.map((condition) => ({
    field: condition.field,
    op: condition.op,
    value: Array.isArray(condition.value) || condition.value === undefined || condition.value === null ? null : String(condition.value),
    values: Array.isArray(condition.value) ? condition.value.map(String) : null,
  }));
}

export function fromFilterInput(conditions: readonly FilterConditionInput[]): RecordFilter {
  return conditions.map((condition): FilterCondition => ({
    field: condition.field,
    op: condition.op,
    value: condition.values ?? condition.value ?? null,
  }));
}
