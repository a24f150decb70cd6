import { useMemo } from 'react';
import { useQuery } from 'urql';
import { recordLabels, recordLabelsQuery } from '../api/record-labels';
import { useSession } from './session';

/** Stands in while there is nothing to name: urql parses a query even when it is paused. */
const NOTHING_TO_NAME = 'query OperatorNothingToName { __typename }';

/** A person's name for each of these records of a mapping ("number name"), the id itself until it is known. */
export function useRecordLabels(mapping: string, ids: readonly string[]): (id: string) => string {
  const { features } = useSession();
  const labelsQuery = useMemo(() => recordLabelsQuery(features, mapping, ids), [features, mapping, ids.join()]);
  const [labelled] = useQuery({ query: labelsQuery?.query ?? NOTHING_TO_NAME, variables: labelsQuery?.variables, pause: !labelsQuery });
  const labels = recordLabels(labelled.data as Record<string, unknown> | undefined);
  return (id: string) => labels.get(id) ?? id;
}
