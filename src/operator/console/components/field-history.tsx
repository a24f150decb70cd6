import { getNamedType, isObjectType } from 'graphql';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { useSession } from '../session';
import { useTableMappings } from '../use-table-mappings';
import { ApiError } from './api-error';

/** A field's history (fieldHistory), when the gateway keeps one: each change as the API reports it. */
export function FieldHistory({ mappingName, recordId }: { mappingName: string; recordId: string }) {
  const { features } = useSession();
  const fields = (useTableMappings().byName(mappingName)?.fieldMappings ?? []).flatMap((f) => (f.erpField ? [f.erpField] : []));
  const [field, setField] = useState('');
  const query = useMemo(() => {
    const history = features.query('fieldHistory');
    const type = history && getNamedType(history.type);
    const argType = (name: string) => history?.args.find((arg) => arg.name === name)?.type.toString();
    if (!type || !isObjectType(type) || !argType('recordId') || !argType('field')) return null;
    return `query FieldHistory($recordId: ${argType('recordId')}, $field: ${argType('field')}) { fieldHistory(recordId: $recordId, field: $field${argType('first') ? ', first: 20' : ''}) ${features.selectionOf(type, 3)} }`;
  }, [features]);
  const [result] = useQuery({ query: query ?? '', variables: { recordId, field }, pause: !query || !field, requestPolicy: 'network-only' });
  return (
    <details className="history">
      <summary>Field history</summary>
      <label>
        Field
        <select value={field} onChange={(e) => setField(e.target.value)}>
          <option value="">choose a field</option>
          {fields.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <ApiError error={result.error} />
      {result.data && <pre>{JSON.stringify(result.data.fieldHistory, null, 2)}</pre>}
    </details>
  );
}
