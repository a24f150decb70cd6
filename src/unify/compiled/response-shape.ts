import {
  getNamedType,
  getNullableType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { applyingFragment } from './record-selection';

/** How a leaf's JSON value is checked to be what graphql-js would write for it. */
export type LeafCheck = { readonly kind: 'string' | 'int' | 'float' | 'boolean' | 'time' } | { readonly kind: 'enum'; readonly values: readonly string[] };

/** One entry of a response object, under its response key (an alias or the field's name), in the order graphql-js writes them. */
export type ResponseEntry =
  | { readonly kind: 'typename'; readonly key: string; readonly typeName: string }
  | { readonly kind: 'leaf'; readonly key: string; readonly field: string; readonly nonNull: boolean; readonly check: LeafCheck }
  | { readonly kind: 'object'; readonly key: string; readonly field: string; readonly nonNull: boolean; readonly entries: readonly ResponseEntry[] }
  | {
      readonly kind: 'list';
      readonly key: string;
      readonly field: string;
      readonly nonNull: boolean;
      readonly itemNonNull: boolean;
      readonly entries: readonly ResponseEntry[];
    };

/** What a unified list's response holds: the connection's, edges', pageInfo's fields in order, each record's as entries (one `node` per edge). */
export type ConnectionEntry =
  | { readonly kind: 'typename'; readonly key: string; readonly typeName: string }
  | { readonly kind: 'totalCount'; readonly key: string }
  | { readonly kind: 'edges'; readonly key: string; readonly edge: readonly EdgeEntry[] }
  | { readonly kind: 'pageInfo'; readonly key: string; readonly entries: readonly PageInfoEntry[] };

export type EdgeEntry =
  | { readonly kind: 'typename'; readonly key: string; readonly typeName: string }
  | { readonly kind: 'cursor'; readonly key: string }
  | { readonly kind: 'node'; readonly key: string; readonly entries: readonly ResponseEntry[] };

export type PageInfoEntry =
  | { readonly kind: 'typename'; readonly key: string; readonly typeName: string }
  | { readonly kind: 'hasNextPage' | 'hasPreviousPage' | 'startCursor' | 'endCursor'; readonly key: string };

const PAGE_INFO_FIELDS = new Set(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']);

/** Scalars whose value a compiled read gives as graphql-js writes it, once checked (see response-text.ts). */
const SCALAR_CHECKS: Readonly<Record<string, Exclude<LeafCheck['kind'], 'enum'>>> = {
  String: 'string',
  ID: 'string',
  Int: 'int',
  Float: 'float',
  Boolean: 'boolean',
  DateTimeISO: 'time',
};

interface Field {
  readonly name: string;
  readonly nodes: FieldNode[];
}

/**
 * Walks a selection the way graphql-js collects fields: by response key, in the order first met,
 * through fragments that apply to `type`. Null when anything would make the answer depend on more
 * than the document (a directive) or when a field takes arguments.
 */
class ShapeWalk {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  ) {}

  fields(type: GraphQLObjectType, sets: readonly SelectionSetNode[], into = new Map<string, Field>()): Map<string, Field> | null {
    for (const set of sets) {
      for (const selection of set.selections) {
        if (selection.directives?.length) return null;
        if (selection.kind === Kind.FIELD) {
          if (selection.arguments?.length) return null;
          const key = selection.alias?.value ?? selection.name.value;
          const found = into.get(key);
          if (found) found.nodes.push(selection);
          else into.set(key, { name: selection.name.value, nodes: [selection] });
          continue;
        }
        const fragment = applyingFragment(this.schema, this.fragments, type, selection);
        if (fragment === 'skip') continue;
        if (!fragment || !this.fields(type, [fragment], into)) return null;
      }
    }
    return into;
  }

  /** The entries of an object read from a compiled record's JSON, field by field. */
  entries(type: GraphQLObjectType, sets: readonly SelectionSetNode[]): ResponseEntry[] | null {
    const fields = this.fields(type, sets);
    if (!fields) return null;
    const entries: ResponseEntry[] = [];
    for (const [key, { name, nodes }] of fields) {
      if (name === '__typename') {
        entries.push({ kind: 'typename', key, typeName: type.name });
        continue;
      }
      const definition = type.getFields()[name];
      if (!definition) return null;
      const entry = this.entry(key, name, definition.type, nodes);
      if (!entry) return null;
      entries.push(entry);
    }
    return entries;
  }

  /** Sub-selections of an object field, merged as graphql-js merges equal response keys. */
  sets(nodes: readonly FieldNode[]): SelectionSetNode[] {
    return nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  }

  private entry(key: string, field: string, type: GraphQLOutputType, nodes: readonly FieldNode[]): ResponseEntry | null {
    const nonNull = isNonNullType(type);
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const item = nullable.ofType as GraphQLOutputType;
      const itemType = getNullableType(item);
      if (!isObjectType(itemType)) return null;
      const entries = this.entries(itemType, this.sets(nodes));
      return entries && { kind: 'list', key, field, nonNull, itemNonNull: isNonNullType(item), entries };
    }
    if (isObjectType(nullable)) {
      const entries = this.entries(nullable, this.sets(nodes));
      return entries && { kind: 'object', key, field, nonNull, entries };
    }
    if (!isLeafType(nullable)) return null;
    const check = leafCheck(getNamedType(nullable));
    return check && { kind: 'leaf', key, field, nonNull, check };
  }
}

function leafCheck(type: ReturnType<typeof getNamedType>): LeafCheck | null {
  if (isScalarType(type)) {
    const kind = SCALAR_CHECKS[type.name];
    return kind ? { kind } : null;
  }
  // Written as stored only when each value is its own name.
  if (isEnumType(type) && type.getValues().every((value) => value.value === value.name)) return { kind: 'enum', values: type.getValues().map((value) => value.name) };
  return null;
}

/**
 * The response a unified list's field asks for (its connection's fields, its edges', its pageInfo's
 * and each record's, in the order graphql-js writes them), or null when part of it cannot be
 * written by a compiled statement (a directive, an argument below the list, a scalar other than
 * those in SCALAR_CHECKS).
 */
export function connectionShape(
  schema: GraphQLSchema,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  connection: GraphQLObjectType,
  field: FieldNode,
): ConnectionEntry[] | null {
  const walk = new ShapeWalk(schema, fragments);
  const fields = walk.fields(connection, field.selectionSet ? [field.selectionSet] : []);
  if (!fields) return null;
  const entries: ConnectionEntry[] = [];
  for (const [key, { name, nodes }] of fields) {
    const type = name === '__typename' ? null : getNamedType(connection.getFields()[name]?.type);
    if (name === '__typename') entries.push({ kind: 'typename', key, typeName: connection.name });
    else if (name === 'totalCount') entries.push({ kind: 'totalCount', key });
    else if (name === 'edges' && isObjectType(type)) {
      const edge = edgeShape(walk, type, walk.sets(nodes));
      if (!edge) return null;
      entries.push({ kind: 'edges', key, edge });
    } else if (name === 'pageInfo' && isObjectType(type)) {
      const info = walk.fields(type, walk.sets(nodes));
      if (!info) return null;
      const infoEntries: PageInfoEntry[] = [];
      for (const [infoKey, { name: infoName }] of info) {
        if (infoName === '__typename') infoEntries.push({ kind: 'typename', key: infoKey, typeName: type.name });
        else if (PAGE_INFO_FIELDS.has(infoName)) infoEntries.push({ kind: infoName as 'hasNextPage', key: infoKey });
        else return null;
      }
      entries.push({ kind: 'pageInfo', key, entries: infoEntries });
    } else return null;
  }
  return entries;
}

/**
 * The response a lookup's field (`customer(id:)`, `node(id:)`, `_entities`) asks of a record of
 * `type`: the fields of its selection that apply to that type, in the order graphql-js writes
 * them; null as for connectionShape.
 */
export function recordShape(schema: GraphQLSchema, fragments: Readonly<Record<string, FragmentDefinitionNode>>, type: GraphQLObjectType, field: FieldNode): ResponseEntry[] | null {
  return new ShapeWalk(schema, fragments).entries(type, field.selectionSet ? [field.selectionSet] : []);
}

function edgeShape(walk: ShapeWalk, edgeType: GraphQLObjectType, sets: readonly SelectionSetNode[]): EdgeEntry[] | null {
  const fields = walk.fields(edgeType, sets);
  if (!fields) return null;
  const entries: EdgeEntry[] = [];
  for (const [key, { name, nodes }] of fields) {
    if (name === '__typename') entries.push({ kind: 'typename', key, typeName: edgeType.name });
    else if (name === 'cursor') entries.push({ kind: 'cursor', key });
    else if (name === 'node' && !entries.some((entry) => entry.kind === 'node')) {
      const nodeType = getNamedType(edgeType.getFields().node?.type);
      // A node is never null in an edge: a record whose sides are both gone has no edge.
      const node = isObjectType(nodeType) ? walk.entries(nodeType, walk.sets(nodes)) : null;
      if (!node) return null;
      entries.push({ kind: 'node', key, entries: node });
    } else return null;
  }
  return entries;
}
