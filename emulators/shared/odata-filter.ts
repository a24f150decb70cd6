/**
 * The `$filter` subset the connectors send, parsed into parameterised SQL over the JSON rows:
 * comparisons (`eq ne gt ge lt le`) of a property with a literal (string, number, boolean, null,
 * GUID, date-time), joined by `and` / `or`, with parentheses. The OData parsers on npm read no
 * GUID or date-time literals, which change feeds and keys need.
 */
export interface SqlCondition {
  /** The condition, numbering its parameters from `first`. */
  sql(first: number): string;
  readonly params: readonly unknown[];
}

/** Maps a property to a column of the row table (its key, its modified-at); null for a JSON property. */
export type ColumnOf = (field: string) => string | null;

export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
}

type Literal = { type: 'string' | 'number' | 'boolean' | 'guid' | 'datetime'; value: unknown } | { type: 'null'; value: null };
type Node = { kind: 'compare'; field: string; op: string; literal: Literal } | { kind: 'logic'; op: 'and' | 'or'; left: Node; right: Node };

const TOKEN =
  /\s*(?:(\()|(\))|'((?:[^']|'')*)'|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))|(-?\d+(?:\.\d+)?)(?![\w-])|([A-Za-z_][A-Za-z0-9_]*))/iy;

function tokenize(text: string): { type: string; value: string }[] {
  const tokens: { type: string; value: string }[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new FilterSyntaxError(`unexpected character at ${at}: ${text.slice(at, at + 10)}`);
    const [, open, close, string, guid, datetime, number, word] = match;
    if (open) tokens.push({ type: '(', value: open });
    else if (close) tokens.push({ type: ')', value: close });
    else if (string !== undefined) tokens.push({ type: 'string', value: string.replaceAll("''", "'") });
    else if (guid) tokens.push({ type: 'guid', value: guid.toLowerCase() });
    else if (datetime) tokens.push({ type: 'datetime', value: datetime });
    else if (number) tokens.push({ type: 'number', value: number });
    else tokens.push({ type: 'word', value: word! });
  }
  return tokens;
}

const OPERATORS: Record<string, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };

function parse(text: string): Node {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position++];
    if (!token) throw new FilterSyntaxError('the filter ends too early');
    return token;
  };
  const literal = (): Literal => {
    const token = next();
    if (token.type === 'string') return { type: 'string', value: token.value };
    if (token.type === 'guid') return { type: 'guid', value: token.value };
    if (token.type === 'number') return { type: 'number', value: Number(token.value) };
    if (token.type === 'datetime') return { type: 'datetime', value: new Date(token.value) };
    if (token.type === 'word' && token.value === 'null') return { type: 'null', value: null };
    if (token.type === 'word' && (token.value === 'true' || token.value === 'false')) return { type: 'boolean', value: token.value === 'true' };
    throw new FilterSyntaxError(`expected a literal, found ${token.value}`);
  };
  const primary = (): Node => {
    const token = next();
    if (token.type === '(') {
      const inner = or();
      if (next().type !== ')') throw new FilterSyntaxError('expected )');
      return inner;
    }
    if (token.type !== 'word') throw new FilterSyntaxError(`expected a property, found ${token.value}`);
    const op = next();
    if (op.type !== 'word' || !(op.value in OPERATORS)) throw new FilterSyntaxError(`unsupported operator ${op.value}`);
    return { kind: 'compare', field: token.value, op: op.value, literal: literal() };
  };
  const and = (): Node => {
    let left = primary();
    while (peek()?.type === 'word' && peek()!.value === 'and') {
      next();
      left = { kind: 'logic', op: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek()?.type === 'word' && peek()!.value === 'or') {
      next();
      left = { kind: 'logic', op: 'or', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (position < tokens.length) throw new FilterSyntaxError(`unexpected ${tokens[position]!.value}`);
  return tree;
}

function compile(node: Node, columnOf: ColumnOf, params: unknown[], first: number): string {
  if (node.kind === 'logic') return `(${compile(node.left, columnOf, params, first)} ${node.op.toUpperCase()} ${compile(node.right, columnOf, params, first)})`;
  const { field, op, literal } = node;
  const column = columnOf(field);
  const json = `(data->>'${field}')`;
  if (literal.type === 'null') {
    if (op !== 'eq' && op !== 'ne') throw new FilterSyntaxError(`null compares with eq or ne only`);
    return `${column ?? json} IS ${op === 'eq' ? '' : 'NOT '}NULL`;
  }
  params.push(literal.value);
  const param = `$${first + params.length - 1}`;
  const sqlOp = OPERATORS[op]!;
  switch (literal.type) {
    case 'string': // the products compare text without regard to case (their databases' collation)
      return `lower(${column ?? json}) ${sqlOp} lower(${param})`;
    case 'number':
      return `${column ?? json}::numeric ${sqlOp} ${param}`;
    case 'boolean':
      return `${column ?? json}::boolean ${sqlOp} ${param}`;
    case 'guid':
      return column ? `${column} ${sqlOp} ${param}::uuid` : `lower(${json}) ${sqlOp} ${param}`;
    case 'datetime':
      return `${column ?? `${json}::timestamptz`} ${sqlOp} ${param}`;
  }
}

export function filterToSql(text: string, columnOf: ColumnOf): SqlCondition {
  const tree = parse(text);
  const params: unknown[] = [];
  // Compile once to collect the parameters; the SQL is rebuilt for the caller's numbering.
  compile(tree, columnOf, params, 1);
  return { params, sql: (first) => compile(tree, columnOf, [], first) };
}
