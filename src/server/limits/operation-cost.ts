import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** How many items a list without `first` (a customer's contacts, an invoice's lines) is taken to hold. */
export const ASSUMED_LIST_SIZE = 5;

type Variables = Readonly<Record<string, unknown>> | null | undefined;

/** Per document: its cost when no `first` depends on a variable (then it is the same for every request). */
const fixedCosts = new WeakMap<DocumentNode, Map<string, number | null>>();

/**
 * Estimates how many fields an operation resolves: every field costs 1, and a list's subtree is
 * multiplied by how many items it returns: a connection's `edges` by the page's `first` (its
 * default when not given; `totalCount` and `pageInfo` are once per page), `_entities` by the
 * representations asked for, other lists by ASSUMED_LIST_SIZE.
 */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Variables): number {
  const key = operationName ?? '';
  let byOperation = fixedCosts.get(document);
  const fixed = byOperation?.get(key);
  if (typeof fixed === 'number') return fixed;
  const estimate = new CostEstimate(schema, document, variables);
  const cost = estimate.ofOperation(operationName);
  if (fixed === undefined) {
    if (!byOperation) fixedCosts.set(document, (byOperation = new Map()));
    byOperation.set(key, estimate.usedVariables ? null : cost);
  }
  return cost;
}

class CostEstimate {
  usedVariables = false;
  private readonly fragments = new Map<string, FragmentDefinitionNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly document: DocumentNode,
    private readonly variables: Variables,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  ofOperation(operationName: string | null | undefined): number {
    const operations = this.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
    if (!operation) return 0;
    const root = this.schema.getRootType(operation.operation);
    return root ? this.ofSelections(operation.selectionSet, root, new Set()) : 0;
  }

  /** `pageSize`: the `first` of the connection whose selections these are. */
  private ofSelections(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, visiting: ReadonlySet<string>, pageSize?: number): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += this.ofField(selection, parent, visiting, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) cost += this.ofSelections(selection.selectionSet, type, visiting, pageSize);
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        const type = fragment && this.schema.getType(fragment.typeCondition.name.value);
        if (fragment && type && isCompositeType(type) && !visiting.has(name)) {
          cost += this.ofSelections(fragment.selectionSet, type, new Set([...visiting, name]), pageSize);
        }
      }
    }
    return cost;
  }

  private ofField(node: FieldNode, parent: GraphQLCompositeType, visiting: ReadonlySet<string>, pageSize: number | undefined): number {
    if (!node.selectionSet) return 1;
    const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
    if (!field) return 1;
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) return 1;
    const first = this.argument(node, field, 'first');
    const items = first === undefined ? undefined : typeof first === 'number' && Number.isFinite(first) ? Math.max(0, first) : ASSUMED_LIST_SIZE;
    if (items !== undefined && type.name.endsWith('Connection')) return 1 + this.ofSelections(node.selectionSet, type, visiting, items);
    return 1 + (items ?? this.itemsOf(node, field, parent, pageSize)) * this.ofSelections(node.selectionSet, type, visiting);
  }

  private itemsOf(node: FieldNode, field: GraphQLField<unknown, unknown>, parent: GraphQLCompositeType, pageSize: number | undefined): number {
    if (!isListType(getNullableType(field.type))) return 1;
    if (node.name.value === '_entities') {
      const representations = this.argument(node, field, 'representations');
      return Array.isArray(representations) ? representations.length : ASSUMED_LIST_SIZE;
    }
    return parent.name.endsWith('Connection') ? (pageSize ?? ASSUMED_LIST_SIZE) : ASSUMED_LIST_SIZE;
  }

  /** The argument's value, its schema default when not given, undefined when the field has none. */
  private argument(node: FieldNode, field: GraphQLField<unknown, unknown>, name: string): unknown {
    const definition = field.args.find((arg) => arg.name === name);
    if (!definition) return undefined;
    const given = node.arguments?.find((arg) => arg.name.value === name);
    if (!given) return definition.defaultValue ?? null;
    if (given.value.kind === Kind.LIST || given.value.kind === Kind.OBJECT) this.usedVariables = true;
    if (given.value.kind === Kind.VARIABLE) {
      this.usedVariables = true;
      return this.variables?.[given.value.name.value] ?? definition.defaultValue ?? null;
    }
    return valueFromAST(given.value, definition.type, this.variables as Record<string, unknown> | undefined) ?? null;
  }
}
