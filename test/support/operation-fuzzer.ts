import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationTypeNode,
} from 'graphql';

export type OperationKind = 'query' | 'mutation' | 'subscription';
export type Caller = 'anonymous' | 'viewer' | 'operator' | 'admin';

/** One generated operation: its text, its variables and who sends it. */
export interface FuzzOperation {
  readonly kind: OperationKind;
  readonly field: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly caller: Caller;
  /** The response keys of its root fields (aliases or names). */
  readonly rootKeys: readonly string[];
}

/** Values the generator draws from besides random ones: ids, cursors and names the gateway issued. */
export interface FuzzPools {
  readonly ids: readonly string[];
  readonly cursors: readonly string[];
  readonly names: readonly string[];
}

type Draw = fc.GeneratorValue;

/** The variables an operation being generated declares so far. */
interface Declared {
  readonly values: Record<string, unknown>;
  readonly declarations: string[];
}

/** Strings a hostile client sends: empty, NUL, control characters, quotes, huge, other scripts, near-ids. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  "'; DROP TABLE customer; --",
  '"\\',
  '%',
  '_',
  '\\x00',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ ÄÖÜ 中文',
  '\ud800',
  'x'.repeat(5_000),
  '00000000-0000-0000-0000-000000000000',
  '------------------------------------',
  'not-an-id',
  'null',
  '{}',
  '[]',
  '2026-13-45T99:99:99Z',
  '9999-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00Z',
  'CUSTOMER',
  'customer',
  'SALESORDER-ORDER',
];

const HOSTILE_INTS = [-2_147_483_648, -1, 0, 1, 2, 5, 50, 999, 1_000, 1_001, 5_000, 2_147_483_647];
const HOSTILE_FLOATS = [-1, 0, 0.5, 1e-300, 1e300, -1e300, 123456789.123];

const ROOT_KINDS: ReadonlyArray<[OperationKind, number]> = [
  ['query', 60],
  ['mutation', 36],
  ['subscription', 4],
];

const CALLERS: readonly Caller[] = ['anonymous', 'viewer', 'operator', 'admin'];

/**
 * Generates operations from the schema: any root field of any kind, with random and hostile
 * arguments (ids the gateway issued of every type, garbage, other types' ids, cursors), sent as
 * literals or variables (sometimes of the wrong type), deep and wide selections, aliases, inline
 * fragments on every member of an interface or union, as every kind of caller.
 */
export class OperationFuzzer {
  private readonly roots: Record<OperationKind, Array<GraphQLField<unknown, unknown>>>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly pools: FuzzPools,
  ) {
    const fieldsOf = (kind: OperationKind) => Object.values(schema.getRootType(kind as OperationTypeNode)?.getFields() ?? {}).filter((field) => !field.name.startsWith('_'));
    this.roots = { query: fieldsOf('query'), mutation: fieldsOf('mutation'), subscription: fieldsOf('subscription') };
  }

  operations(): fc.Arbitrary<FuzzOperation> {
    return fc.gen().map((g) => this.operation(g));
  }

  private operation(g: Draw): FuzzOperation {
    const kind = this.weighted(g, ROOT_KINDS);
    const field = g(() => fc.constantFrom(...this.roots[kind]));
    const caller = g(() => fc.constantFrom(...CALLERS));
    const declared: Declared = { values: {}, declarations: [] };
    const copies = g(() => fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 30 }) }));
    const fields: string[] = [];
    const rootKeys: string[] = [];
    for (let copy = 0; copy < copies; copy += 1) {
      const alias = copies > 1 || g(fc.boolean) ? `f${copy}: ` : '';
      rootKeys.push(alias ? `f${copy}` : field.name);
      fields.push(`${alias}${field.name}${this.arguments(g, field.args, declared)}${this.selection(g, getNamedType(field.type), 0, this.depthBudget(g), declared)}`);
    }
    const header = declared.declarations.length > 0 ? `${kind} Fuzz(${declared.declarations.join(', ')})` : kind;
    return { kind, field: field.name, query: `${header} { ${fields.join(' ')} }`, variables: declared.values, caller, rootKeys };
  }

  private depthBudget(g: Draw): number {
    return g(() => fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 2, arbitrary: fc.integer({ min: 6, max: 16 }) }));
  }

  private weighted<T>(g: Draw, choices: ReadonlyArray<[T, number]>): T {
    return g(() => fc.oneof(...choices.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) }))));
  }

  private arguments(g: Draw, args: readonly GraphQLArgument[], declared: Declared): string {
    const given: string[] = [];
    for (const arg of args) {
      if (!isNonNullType(arg.type) && g(() => fc.boolean())) continue;
      const value = this.inputValue(g, arg.type, 0);
      if (g(() => fc.boolean())) {
        const name = `v${declared.declarations.length}`;
        declared.declarations.push(`$${name}: ${String(arg.type)}`);
        // Now and then a value of the wrong type: coercion must refuse it.
        declared.values[name] = g(() => fc.integer({ min: 0, max: 19 })) === 0 ? this.wrongValue(g) : value;
        given.push(`${arg.name}: $${name}`);
      } else {
        given.push(`${arg.name}: ${literal(value)}`);
      }
    }
    return given.length > 0 ? `(${given.join(', ')})` : '';
  }

  private wrongValue(g: Draw): unknown {
    return g(() => fc.constantFrom<unknown>(null, 1.5, 'text', true, [], {}, [1, 2], { a: 1 }, -1));
  }

  private inputValue(g: Draw, type: GraphQLInputType, depth: number): unknown {
    if (isNonNullType(type)) return this.inputValue(g, type.ofType, depth);
    if (depth > 0 && g(() => fc.integer({ min: 0, max: 9 })) === 0) return null;
    if (isListType(type)) {
      const length = g(() => fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 4, max: 40 }) }));
      return Array.from({ length }, () => this.inputValue(g, type.ofType, depth + 1));
    }
    if (isEnumType(type)) return new EnumValue(g(() => fc.constantFrom(...type.getValues().map((value) => value.name))));
    if (isInputObjectType(type)) {
      const value: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        if (!isNonNullType(field.type) && (depth > 2 || g(() => fc.boolean()))) continue;
        value[field.name] = this.inputValue(g, field.type, depth + 1);
      }
      return value;
    }
    return this.scalar(g, type.name);
  }

  private scalar(g: Draw, name: string): unknown {
    switch (name) {
      case 'Int':
        return g(() => fc.oneof(fc.constantFrom(...HOSTILE_INTS), fc.integer({ min: -10, max: 60 })));
      case 'Float':
        return g(() => fc.oneof(fc.constantFrom(...HOSTILE_FLOATS), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })));
      case 'Boolean':
        return g(fc.boolean);
      case 'ID':
        return g(() =>
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...this.pools.ids) },
            { weight: 1, arbitrary: fc.constantFrom(...this.pools.names) },
            { weight: 2, arbitrary: this.hostileString() },
          ),
        );
      case 'DateTimeISO':
        return g(() =>
          fc.oneof(
            fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString()),
            this.hostileString(),
          ),
        );
      default:
        return g(() =>
          fc.oneof(
            { weight: 3, arbitrary: this.hostileString() },
            { weight: 2, arbitrary: fc.constantFrom(...this.pools.cursors) },
            { weight: 2, arbitrary: fc.constantFrom(...this.pools.names) },
            { weight: 1, arbitrary: fc.constantFrom(...this.pools.ids) },
          ),
        );
    }
  }

  private hostileString(): fc.Arbitrary<string> {
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
      { weight: 1, arbitrary: fc.base64String({ maxLength: 80 }) },
    );
  }

  private selection(g: Draw, type: GraphQLNamedType, depth: number, budget: number, declared: Declared): string {
    if (isLeafType(type) || isScalarType(type)) return '';
    if (isUnionType(type) || isInterfaceType(type)) {
      const members = this.schema.getPossibleTypes(type);
      const picked = g(() => fc.subarray([...members], { minLength: 1, maxLength: 3 }));
      const common = isInterfaceType(type) && depth < budget ? this.fields(g, type, depth, budget, declared) : [];
      return ` { __typename ${common.join(' ')} ${picked.map((member) => `... on ${member.name}${this.selection(g, member, depth, budget, declared)}`).join(' ')} }`;
    }
    if (!isObjectType(type)) return '';
    const fields = this.fields(g, type, depth, budget, declared);
    return ` { ${fields.length > 0 ? fields.join(' ') : '__typename'} }`;
  }

  private fields(g: Draw, type: GraphQLNamedType & { getFields(): Record<string, GraphQLField<unknown, unknown>> }, depth: number, budget: number, declared: Declared): string[] {
    const all = Object.values(type.getFields());
    const leaves = all.filter((field) => isLeafType(getNamedType(field.type)));
    const nested = all.filter((field) => !isLeafType(getNamedType(field.type)));
    const chosen: Array<GraphQLField<unknown, unknown>> = [
      ...g(() => fc.subarray(leaves, { minLength: Math.min(1, leaves.length), maxLength: Math.min(4, leaves.length) })),
      ...(depth + 1 < budget ? g(() => fc.subarray(nested, { maxLength: Math.min(3, nested.length) })) : []),
    ];
    return chosen.map((field, index) => {
      const alias = g(() => fc.integer({ min: 0, max: 7 })) === 0 ? `x${depth}_${index}: ` : '';
      return `${alias}${field.name}${this.arguments(g, field.args, declared)}${this.selection(g, getNamedType(field.type), depth + 1, budget, declared)}`;
    });
  }
}

/** An enum value: printed bare in a literal, as its name in variables. */
class EnumValue {
  constructor(readonly name: string) {}
  toJSON(): string {
    return this.name;
  }
}

/** A value as a GraphQL literal. */
function literal(value: unknown): string {
  if (value instanceof EnumValue) return value.name;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, inner]) => `${key}: ${literal(inner)}`)
      .join(', ')}}`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
