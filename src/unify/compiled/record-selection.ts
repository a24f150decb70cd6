import {
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { unifiedType, type UnifiedType, type UnifiedTypeName } from '../unified-types';
import { compiledRelations, type CompiledRelation } from './compiled-relations';

/** What a query asks of one unified record, in the terms a compiled read needs. */
export interface RecordSelection {
  readonly type: UnifiedType;
  readonly id: boolean;
  readonly syncState: boolean;
  /** Merged fields asked for. */
  readonly merged: readonly string[];
  /** Fields of each side asked for; null when the side is not. */
  readonly erp: readonly string[] | null;
  readonly crm: readonly string[] | null;
  /** Fields of the coupling asked for; null when it is not. */
  readonly coupling: readonly string[] | null;
  readonly relations: readonly SelectedRelation[];
  /** The same for equal selections: what compiled statements are cached by. */
  readonly signature: string;
}

export interface SelectedRelation {
  readonly field: string;
  readonly relation: CompiledRelation;
  readonly selection: RecordSelection;
}

const COUPLING_FIELDS = new Set(['erpId', 'crmId', 'coupledAt', 'lastSyncedAt', 'lastSyncedErpModifiedAt', 'lastSyncedCrmModifiedAt', 'lastResult', 'lastError']);

/**
 * The selections of a fragment (spread or inline) when its type condition holds for `objectType`,
 * 'skip' when it does not, null when it cannot be followed (unknown, or carrying a directive).
 */
export function applyingFragment(
  schema: GraphQLSchema,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  objectType: GraphQLObjectType,
  selection: InlineFragmentNode | FragmentSpreadNode,
): SelectionSetNode | 'skip' | null {
  const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
  if (!fragment || fragment.directives?.length) return null;
  const condition = fragment.typeCondition?.name.value;
  if (condition && condition !== objectType.name) {
    const abstract = schema.getType(condition);
    if (!abstract || isObjectType(abstract) || !schema.isSubType(abstract as never, objectType)) return 'skip';
  }
  return fragment.selectionSet;
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
}

/**
 * The fields of `selections` that apply to `objectType`, by name, through fragments; null when a
 * selection carries a directive (@skip, @include…), whose outcome a cached plan cannot know.
 */
function collect(walk: Walk, objectType: GraphQLObjectType, selections: readonly SelectionSetNode[], into = new Map<string, FieldNode[]>()): Map<string, FieldNode[]> | null {
  for (const set of selections) {
    for (const selection of set.selections) {
      if (selection.directives?.length) return null;
      if (selection.kind === Kind.FIELD) {
        const list = into.get(selection.name.value);
        if (list) list.push(selection);
        else into.set(selection.name.value, [selection]);
        continue;
      }
      const fragment = applyingFragment(walk.schema, walk.fragments, objectType, selection);
      if (fragment === 'skip') continue;
      if (!fragment || !collect(walk, objectType, [fragment], into)) return null;
    }
  }
  return into;
}

function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] | null {
  const sets: SelectionSetNode[] = [];
  for (const node of nodes) {
    if (node.arguments?.length) return null;
    if (node.selectionSet) sets.push(node.selectionSet);
  }
  return sets;
}

function objectTypeOf(parent: GraphQLObjectType, field: string): GraphQLObjectType | null {
  const type = parent.getFields()[field]?.type;
  const named = type ? getNamedType(type) : null;
  return named && isObjectType(named) ? named : null;
}

/** Scalar fields of a side asked for (every field of a side's type is a stored property). */
function sideFields(walk: Walk, parent: GraphQLObjectType, field: string, nodes: readonly FieldNode[]): string[] | null {
  const sideType = objectTypeOf(parent, field);
  const sets = subSelections(nodes);
  if (!sideType || !sets) return null;
  const fields = collect(walk, sideType, sets);
  if (!fields) return null;
  const names: string[] = [];
  for (const [name, fieldNodes] of fields) {
    if (name === '__typename') continue;
    if (fieldNodes.some((node) => node.arguments?.length || node.selectionSet)) return null;
    names.push(name);
  }
  return names;
}

function selectionOf(walk: Walk, typeName: UnifiedTypeName, objectType: GraphQLObjectType, sets: readonly SelectionSetNode[]): RecordSelection | null {
  const type = unifiedType(typeName)!;
  const fields = collect(walk, objectType, sets);
  if (!fields) return null;
  const merged: string[] = [];
  let erp: string[] | null = null;
  let crm: string[] | null = null;
  let coupling: string[] | null = null;
  const relations: SelectedRelation[] = [];
  const relationSpecs = compiledRelations[typeName] ?? {};
  for (const [name, nodes] of fields) {
    if (name === '__typename' || name === 'id' || name === 'syncState') continue;
    if (name in type.merged) {
      if (nodes.some((node) => node.arguments?.length)) return null;
      merged.push(name);
      continue;
    }
    if (name === 'erp' || name === 'crm') {
      const names = sideFields(walk, objectType, name, nodes);
      if (!names) return null;
      if (name === 'erp') erp = names.sort();
      else crm = names.sort();
      continue;
    }
    if (name === 'coupling') {
      const couplingType = objectTypeOf(objectType, name);
      const sets = subSelections(nodes);
      const couplingFields = couplingType && sets ? collect(walk, couplingType, sets) : null;
      if (!couplingFields) return null;
      coupling = [...couplingFields.keys()].filter((field) => field !== '__typename').sort();
      if (coupling.some((field) => !COUPLING_FIELDS.has(field))) return null;
      continue;
    }
    const relation = relationSpecs[name];
    const targetType = objectTypeOf(objectType, name);
    const sets = subSelections(nodes);
    if (!relation || !targetType || !sets) return null;
    const selection = selectionOf(walk, relation.target, targetType, sets);
    if (!selection) return null;
    relations.push({ field: name, relation, selection });
  }
  merged.sort();
  relations.sort((a, b) => (a.field < b.field ? -1 : 1));
  const id = fields.has('id');
  const syncState = fields.has('syncState');
  const list = (names: readonly string[] | null) => (names ? names.join(',') : '-');
  const signature = `${typeName}(${id ? 'id,' : ''}${syncState ? 'syncState,' : ''}${merged.join(',')}|${list(erp)}|${list(crm)}|${list(coupling)}|${relations.map((r) => `${r.field}:${r.selection.signature}`).join(',')})`;
  return { type, id, syncState, merged, erp, crm, coupling, relations, signature };
}

/**
 * Plans are cached per field node of a (cached, parsed) document: a request that repeats a query
 * reuses its plan, and `_entities` works it out once for a thousand references.
 */
const plans = new WeakMap<FieldNode, Map<string, RecordSelection | null>>();

function cached(info: GraphQLResolveInfo, key: string, make: () => RecordSelection | null): RecordSelection | null {
  if (info.fieldNodes.length !== 1) return make();
  const node = info.fieldNodes[0]!;
  let byKey = plans.get(node);
  if (!byKey) {
    byKey = new Map();
    plans.set(node, byKey);
  }
  if (byKey.has(key)) return byKey.get(key)!;
  const plan = make();
  byKey.set(key, plan);
  return plan;
}

function selectionSets(nodes: readonly FieldNode[] | undefined): SelectionSetNode[] {
  return nodes?.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])) ?? [];
}

/**
 * Whether the field being resolved selects `field` of the object it returns, through fragments;
 * true when a directive leaves it open (reading what is then not asked for is harmless).
 */
export function selectsField(info: GraphQLResolveInfo, field: string): boolean {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return true;
  const fields = collect(walkOf(info), type, selectionSets(info.fieldNodes));
  return fields === null || fields.has(field);
}

function walkOf(info: GraphQLResolveInfo): Walk {
  return { schema: info.schema, fragments: info.fragments };
}

/** What a unified list asks of each node (`edges { node { … } }`), or null when it cannot be compiled. */
export function listSelection(info: GraphQLResolveInfo, typeName: UnifiedTypeName): RecordSelection | null {
  return cached(info, `list:${typeName}`, () => {
    const walk = walkOf(info);
    const connection = getNamedType(info.returnType);
    if (!isObjectType(connection)) return null;
    const fields = collect(walk, connection, selectionSets(info.fieldNodes));
    const edgeType = objectTypeOf(connection, 'edges');
    if (!fields || !edgeType) return null;
    const edges = collect(walk, edgeType, selectionSets(fields.get('edges')));
    const nodeType = objectTypeOf(edgeType, 'node');
    if (!edges || !nodeType) return null;
    return selectionOf(walk, typeName, nodeType, selectionSets(edges.get('node')));
  });
}

/**
 * What a lookup (`customer(id:)`, `node(id:)`, `_entities`) asks of a record of `typeName`, or null
 * when it cannot be compiled.
 */
export function lookupSelection(info: GraphQLResolveInfo, typeName: UnifiedTypeName): RecordSelection | null {
  return cached(info, `one:${typeName}`, () => {
    const objectType = info.schema.getType(typeName);
    if (!objectType || !isObjectType(objectType)) return null;
    return selectionOf(walkOf(info), typeName, objectType, selectionSets(info.fieldNodes));
  });
}
