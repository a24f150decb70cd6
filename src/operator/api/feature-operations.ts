import { getNamedType, isObjectType } from 'graphql';
import type { SchemaFeatures } from './schema-features';

/**
 * Operations these clients were written before: built from the schema when the gateway has them,
 * null when it does not (their buttons are not shown). Results are selected field by field from
 * the schema, since their shape is the gateway's to decide.
 */
export function mutationWithArguments(features: SchemaFeatures, name: string, args: Readonly<Record<string, string>>): string | null {
  const field = features.mutation(name);
  if (!field || !Object.keys(args).every((arg) => features.hasArgument(field, arg))) return null;
  const named = getNamedType(field.type);
  const selection = isObjectType(named) ? features.selectionOf(named, 2) : '';
  const variables = Object.entries(args)
    .map(([arg, type]) => `$${arg}: ${type}`)
    .join(', ');
  const passed = Object.keys(args)
    .map((arg) => `${arg}: $${arg}`)
    .join(', ');
  return `mutation ${name[0]!.toUpperCase()}${name.slice(1)}${variables ? `(${variables})` : ''} { ${name}${passed ? `(${passed})` : ''} ${selection} }`;
}
