import { useState } from 'react';
import { useMutation } from 'urql';
import { OperatorResolveSyncErrorsDocument, type ConflictSide, type OperatorJobFragment, type OperatorSyncErrorsQuery } from '../../api/generated/operations';
import { ApiError } from './api-error';

type ConflictingField = OperatorSyncErrorsQuery['syncErrors']['edges'][number]['node']['fields'][number];

/** Values come as JSON text; shown as the value itself. */
const shown = (json: string | null | undefined) => {
  if (json === null || json === undefined) return '—';
  const value: unknown = JSON.parse(json);
  return value === null || value === '' ? '—' : String(value);
};

/**
 * A conflict's fields changed in both systems, each with both values now and as last
 * synchronised; the operator picks a side per field and resolves them together (the record's
 * other fields were synchronised already).
 */
export function FieldConflicts({
  errorId,
  fields,
  canResolve,
  onResolved,
}: {
  errorId: string;
  fields: readonly ConflictingField[];
  canResolve: boolean;
  onResolved: (jobs: OperatorJobFragment[]) => void;
}) {
  const [sides, setSides] = useState<ReadonlyMap<string, ConflictSide>>(new Map());
  const [resolved, resolve] = useMutation(OperatorResolveSyncErrorsDocument);
  const choose = (field: string, side: ConflictSide) => setSides((current) => new Map(current).set(field, side));
  const complete = fields.every((field) => sides.has(field.field));

  return (
    <div className="field-conflicts" data-testid={`field-conflicts-${errorId}`}>
      <div className="table-wrap">
        <table className="compare">
          <thead>
            <tr>
              <th>Field</th>
              <th>ERP now</th>
              <th>CRM now</th>
              <th>Last synchronised (ERP · CRM)</th>
              {canResolve && <th>Keep</th>}
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field.field} className="differs">
                <td className="muted">
                  {field.erpField} · {field.field}
                </td>
                <td>{shown(field.erpValue)}</td>
                <td>{shown(field.crmValue)}</td>
                <td className="small">
                  {shown(field.baseErpValue)} · {shown(field.baseCrmValue)}
                </td>
                {canResolve && (
                  <td>
                    {(['ERP', 'CRM'] as const).map((side) => (
                      <label key={side} className="small">
                        <input type="radio" name={`${errorId}-${field.field}`} checked={sides.get(field.field) === side} onChange={() => choose(field.field, side)} /> {side}
                      </label>
                    ))}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canResolve && (
        <button
          type="button"
          disabled={!complete || resolved.fetching}
          title={complete ? 'Each field takes the side chosen for it' : 'Choose a side for every field'}
          onClick={async () => {
            // Every field in conflict is named, so the resolution's own side decides none of them.
            const result = await resolve({ ids: [errorId], resolution: 'ERP_WINS', fields: fields.map((field) => ({ field: field.field, side: sides.get(field.field)! })) });
            if (result.data) onResolved(result.data.resolveSyncErrors);
          }}
        >
          Resolve fields
        </button>
      )}
      <ApiError error={resolved.error} />
    </div>
  );
}
