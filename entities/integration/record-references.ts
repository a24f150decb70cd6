/**
 * How an integration record holds its side's references (erp_refs, crm_refs): one `field=value`
 * entry per reference, separated by newlines, so that a GIN index on the entries' array finds the
 * records that refer to given values. Null: not indexed since the column was added.
 */
export const REFERENCE_SEPARATOR = '\n';

/** The SQL expression of a side's entries as an array, as the GIN indexes are built on it (`column` of a row aliased). */
export const referenceEntries = (column: string): string => `string_to_array(${column}, E'\\n')`;

export const referenceEntry = (field: string, value: string): string => `${field}=${value}`;

/** The entries of a side's references text (none when it is null or empty). */
export function parseReferences(text: string | null): Map<string, string[]> {
  const references = new Map<string, string[]>();
  if (!text) return references;
  for (const entry of text.split(REFERENCE_SEPARATOR)) {
    const separator = entry.indexOf('=');
    const field = entry.slice(0, separator);
    references.set(field, [...(references.get(field) ?? []), entry.slice(separator + 1)]);
  }
  return references;
}
