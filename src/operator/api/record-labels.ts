import { TYPE_OF_MAPPING } from './record-types';
import type { SchemaFeatures } from './schema-features';

/** The fields that name a record to a person, those the record's type has. */
const LABEL_FIELDS = ['number', 'code', 'isoCode', 'name', 'description'];

/**
 * One query naming several records of a mapping by their unified ids (aliases r0, r1, … in the
 * order of `ids`), for showing people numbers and names where the API reports only ids.
 */
export function recordLabelsQuery(features: SchemaFeatures, mappingName: string, ids: readonly string[]): { query: string; variables: Record<string, string> } | null {
  const typeName = TYPE_OF_MAPPING[mappingName];
  const fields = typeName ? features.leafFields(features.objectType(typeName), LABEL_FIELDS) : [];
  if (fields.length === 0 || ids.length === 0) return null;
  const variables = Object.fromEntries(ids.map((id, i) => [`id${i}`, id]));
  const declared = ids.map((_, i) => `$id${i}: ID!`).join(', ');
  const nodes = ids.map((_, i) => `r${i}: node(id: $id${i}) { id ... on ${typeName} { ${fields.join(' ')} } }`).join('\n  ');
  return { query: `query OperatorRecordLabels(${declared}) {\n  ${nodes}\n}`, variables };
}

/** Unified id → "number name", from a recordLabelsQuery result. */
export function recordLabels(data: Record<string, unknown> | null | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  for (const node of Object.values(data ?? {})) {
    if (!node || typeof node !== 'object') continue;
    const { id, __typename: _type, ...fields } = node as Record<string, unknown>;
    const text = Object.values(fields)
      .filter((v) => v !== null && v !== undefined && v !== '')
      .join(' ');
    if (typeof id === 'string' && text) labels.set(id, text);
  }
  return labels;
}
