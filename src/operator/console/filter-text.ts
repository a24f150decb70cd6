import type { FilterConditionInput, FilterOperator } from '../api/generated/operations';

const OPERATORS: readonly FilterOperator[] = ['EQ', 'NE', 'IN', 'IS_NULL', 'IS_NOT_NULL', 'GTE', 'LTE', 'CONTAINS'];

interface Condition {
  field: string;
  op: string;
  value?: string | null;
  values?: readonly string[] | null;
}

/** A filter as lines an administrator edits: `field OP value`, `field IN a, b`, `field IS_NULL`. */
export function filterToText(conditions: readonly Condition[]): string {
  return conditions.map((c) => [c.field, c.op, c.op === 'IN' ? (c.values ?? []).join(', ') : (c.value ?? '')].join(' ').trim()).join('\n');
}

/** The lines back as conditions; a line that is no condition is reported as it is, for the gateway's checks to take over. */
export function textToFilter(text: string): { conditions: FilterConditionInput[]; problem: string | null } {
  const conditions: FilterConditionInput[] = [];
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    const op = match?.[2]?.toUpperCase() as FilterOperator | undefined;
    if (!match || !op || !OPERATORS.includes(op)) return { conditions, problem: `"${line}": write a field, one of ${OPERATORS.join(', ')}, then the value` };
    const rest = match[3]!.trim();
    conditions.push(
      op === 'IN'
        ? {
            field: match[1]!,
            op,
            values: rest
              .split(',')
              .map((v) => v.trim())
              .filter(Boolean),
          }
        : op === 'IS_NULL' || op === 'IS_NOT_NULL'
          ? { field: match[1]!, op }
          : { field: match[1]!, op, value: rest },
    );
  }
  return { conditions, problem: null };
}
