import { useMemo } from 'react';
import { useQuery } from 'urql';
import { recordSidesOf, recordSidesQuery } from '../../api/record-sides';
import { useSession } from '../session';
import { useTableMappings } from '../use-table-mappings';
import { ApiError } from './api-error';
import { StatusBadge } from './status-badge';

const shown = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));

/**
 * One record of a mapping with its ERP side and CRM side next to each other, field mapping by
 * field mapping; fields whose values disagree are highlighted.
 */
export function SideBySide({ mappingName, recordId }: { mappingName: string; recordId: string }) {
  const { features } = useSession();
  const { byName } = useTableMappings();
  const fieldMappings = byName(mappingName)?.fieldMappings ?? [];
  const query = useMemo(() => recordSidesQuery(features, mappingName, fieldMappings), [features, mappingName, fieldMappings]);
  const [result] = useQuery({ query: query ?? '', variables: { id: recordId }, pause: !query, requestPolicy: 'network-only' });
  const sides = recordSidesOf(result.data?.node as Record<string, unknown> | undefined, fieldMappings);
  if (!query) return <p className="muted">No field mappings to compare.</p>;
  if (result.error) return <ApiError error={result.error} />;
  if (!sides) return <p className="muted">{result.fetching ? 'Loading both sides…' : 'The record no longer exists.'}</p>;
  return (
    <div className="sides" data-testid="side-by-side">
      <p className="small">
        <StatusBadge value={sides.syncState} /> {sides.coupling ? `coupled ${sides.coupling.coupledAt ? new Date(sides.coupling.coupledAt).toLocaleString() : ''}` : 'not coupled'}
        {sides.coupling?.lastSyncedAt ? ` · last synchronised ${new Date(sides.coupling.lastSyncedAt).toLocaleString()}` : ''}
        {sides.coupling?.lastError ? ` · ${sides.coupling.lastError}` : ''}
      </p>
      <div className="table-wrap">
        <table className="compare">
          <thead>
            <tr>
              <th>ERP field</th>
              <th>ERP {sides.erp ? '' : '(none)'}</th>
              <th>CRM field</th>
              <th>CRM {sides.crm ? '' : '(none)'}</th>
              <th>Direction</th>
            </tr>
          </thead>
          <tbody>
            {sides.fields.map((field) => (
              <tr key={field.fieldMappingId} className={field.differs ? 'differs' : undefined}>
                <td className="muted">{field.erpField ?? 'constant'}</td>
                <td>{shown(field.erpValue)}</td>
                <td className="muted">{field.crmField}</td>
                <td>{shown(field.crmValue)}</td>
                <td className="small">{field.direction.replace('_', ' ').toLowerCase()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
