import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isLeafType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

/** The introspection query both clients send once, to find what this gateway's API offers. */
export const INTROSPECTION_QUERY = getIntrospectionQuery({ descriptions: false });

/**
 * What the gateway's schema offers, so the clients show a feature exactly when the API has it
 * (pause and resume, dry runs, field history, …), whichever version of the gateway they talk to.
 */
export class SchemaFeatures {
  private constructor(readonly schema: GraphQLSchema) {}

  static fromIntrospection(result: IntrospectionQuery): SchemaFeatures {
    return new SchemaFeatures(buildClientSchema(result));
  }

  query(name: string): GraphQLField<unknown, unknown> | undefined {
    return this.schema.getQueryType()?.getFields()[name];
  }

  mutation(name: string): GraphQLField<unknown, unknown> | undefined {
    return this.schema.getMutationType()?.getFields()[name];
  }

  hasArgument(field: GraphQLField<unknown, unknown> | undefined, argument: string): boolean {
    return field?.args.some((arg) => arg.name === argument) ?? false;
  }

  objectType(name: string): GraphQLObjectType | undefined {
    const type = this.schema.getType(name);
    return isObjectType(type) ? type : undefined;
  }

  /** The type a field of an object type returns, unwrapped from lists and non-nulls. */
  fieldObjectType(typeName: string, field: string): GraphQLObjectType | undefined {
    const type = this.objectType(typeName)?.getFields()[field]?.type;
    const named = type ? getNamedType(type) : undefined;
    return isObjectType(named) ? named : undefined;
  }

  /** Which of `fields` are scalar or enum fields of the type (safe to select as they are). */
  leafFields(type: GraphQLObjectType | undefined, fields: Iterable<string>): string[] {
    if (!type) return [];
    const all = type.getFields();
    return [...new Set(fields)].filter((name) => all[name] && isLeafType(getNamedType(all[name]!.type)));
  }

  /**
   * A selection set of a type: its scalar and enum fields, and those of the object fields it
   * holds, `depth` levels down; for results whose shape this client was not written against.
   */
  selectionOf(type: GraphQLObjectType, depth = 1): string {
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      if (field.args.some((arg) => arg.type.toString().endsWith('!') && arg.defaultValue === undefined)) continue;
      const named = getNamedType(field.type);
      if (isLeafType(named)) parts.push(field.name);
      else if (isObjectType(named) && depth > 0) parts.push(`${field.name} ${this.selectionOf(named, depth - 1)}`);
    }
    return `{ __typename ${parts.join(' ')} }`;
  }
}
