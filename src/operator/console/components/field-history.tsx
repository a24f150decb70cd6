import { getNamedType, isNonNullType, isObjectType } from 'graphql';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { useSession } from '../session';
import { useTableMappings } from '../use-table-mappings';
import { ApiError } from './api-error';

/** An entry of fieldHistory as this gateway reports it (other shapes are shown as they come). */
interface Change {
  readonly at: string;
  readonly field: string;
  readonly direction: string;
  readonly oldValue: string;
  readonly newValue: string;
  readonly reason: string;
}

const changesOf = (history: unknown): Change[] | null => {
  const edges = (history as { edges?: Array<{ node?: Partial<Change> }> } | null)?.edges;
  if (!Array.isArray(edges) || !edges.every((edge) => edge.node && typeof edge.node.field === 'string' && typeof edge.node.newValue === 'string')) return null;
  return edges.map((edge) => edge.node as Change);
};

/** A record's field history (fieldHistory), when the gateway keeps one: what the engine wrote into each field, newest first. */
export function FieldHistory({ mappingName, recordId }: { mappingName: string; recordId: string }) {
  const { features } = useSession();
  const fields = (useTableMappings().byName(mappingName)?.fieldMappings ?? []).flatMap((f) => (f.erpField ? [f.erpField] : []));
  const [field, setField] = useState('');
  const [open, setOpen] = useState(false);
  const query = useMemo(() => {
    const history = features.query('fieldHistory');
    const type = history && getNamedType(history.type);
    const arg = (name: string) => history?.args.find((a) => a.name === name);
    if (!type || !isObjectType(type) || !arg('recordId') || !arg('field')) return null;
    return {
      text: `query FieldHistory($recordId: ${arg('recordId')!.type.toString()}, $field: ${arg('field')!.type.toString()}) { fieldHistory(recordId: $recordId, field: $field${arg('first') ? ', first: 20' : ''}) ${features.selectionOf(type, 3)} }`,
      // A gateway that lists every field's changes lets the field be left out.
      fieldOptional: !isNonNullType(arg('field')!.type),
    };
  }, [features]);
  const [result] = useQuery({
    query: query?.text ?? '',
    variables: { recordId, field: field || null },
    pause: !query || !open || (!field && !query.fieldOptional),
    requestPolicy: 'network-only',
  });
  const changes = result.data ? changesOf(result.data.fieldHistory) : null;
  return (
    <details className="history" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Field history</summary>
      <label>
        Field
        <select value={field} onChange={(e) => setField(e.target.value)}>
          <option value="">{query?.fieldOptional ? 'every field' : 'choose a field'}</option>
          {fields.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <ApiError error={result.error} />
      {changes && changes.length === 0 && <p className="muted">Nothing written by the synchronisation yet.</p>}
      {changes && changes.length > 0 && (
        <table className="history-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Field</th>
              <th>From</th>
              <th>To</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change, index) => (
              <tr key={index}>
                <td>{new Date(change.at).toLocaleString()}</td>
                <td>
                  {change.field} <span className="muted small">{change.direction === 'TO_CRM' ? 'CRM' : 'ERP'}</span>
                </td>
                <td>{change.oldValue}</td>
                <td>{change.newValue}</td>
                <td>{change.reason.toLowerCase()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.data && !changes && <pre>{JSON.stringify(result.data.fieldHistory, null, 2)}</pre>}
    </details>
  );
}
