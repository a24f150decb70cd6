import { useQuery } from 'urql';
import { OperatorTableMappingsDocument, type OperatorTableMappingFragment } from '../api/generated/operations';

/** The table mappings (with their field mappings), shared by the pages through urql's cache. */
export function useTableMappings(): { mappings: OperatorTableMappingFragment[]; byName: (name: string) => OperatorTableMappingFragment | undefined } {
  const [result] = useQuery({ query: OperatorTableMappingsDocument });
  const mappings = result.data?.integrationTableMappings ?? [];
  return { mappings, byName: (name) => mappings.find((m) => m.name === name) };
}
