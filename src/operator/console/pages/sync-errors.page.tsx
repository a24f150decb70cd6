import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  OperatorResolveSyncErrorsDocument,
  OperatorRetrySyncErrorsDocument,
  OperatorSyncErrorsDocument,
  type OperatorJobFragment,
  type OperatorSyncErrorsQuery,
  type SyncResolution,
  type SyncResult,
} from '../../api/generated/operations';
import { jobOutcome } from '../../api/job-progress';
import { ApiError } from '../components/api-error';
import { FieldConflicts } from '../components/field-conflicts';
import { SideBySide } from '../components/side-by-side';
import { StatusBadge } from '../components/status-badge';
import { useCan } from '../session';
import { useFollowedJobs } from '../use-followed-jobs';
import { useTableMappings } from '../use-table-mappings';

const RESULTS: SyncResult[] = ['CONFLICT', 'FAILED', 'SKIPPED'];

const RESOLUTIONS: { resolution: SyncResolution; label: string; title: string }[] = [
  { resolution: 'ERP_WINS', label: 'ERP wins', title: 'Copy the ERP side over the CRM side' },
  { resolution: 'CRM_WINS', label: 'CRM wins', title: 'Copy the CRM side over the ERP side' },
  { resolution: 'RESTORE', label: 'Restore', title: 'Re-create the deleted counterpart' },
  { resolution: 'REMOVE_COUPLING', label: 'Uncouple', title: 'Remove the coupling; both sides stay, each on its own' },
  { resolution: 'DELETE_SURVIVOR', label: 'Delete survivor', title: 'Delete the side that is left' },
];

/** Coupled Data Synchronization Errors: filter, compare both sides, then retry or decide, one or many at once. */
export function SyncErrorsPage() {
  const can = useCan();
  const { mappings } = useTableMappings();
  const [mappingName, setMappingName] = useState('');
  const [result, setResult] = useState<SyncResult | ''>('');
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<string | null>(null);
  const filter = { ...(mappingName ? { mappingName } : {}), ...(result ? { result } : {}) };
  const [errors, refresh] = useQuery({ query: OperatorSyncErrorsDocument, variables: { first: 500, filter } });
  const { jobs: done, follow } = useFollowedJobs(() => refresh({ requestPolicy: 'network-only' }));
  const [retried, retry] = useMutation(OperatorRetrySyncErrorsDocument);
  const [resolved, resolve] = useMutation(OperatorResolveSyncErrorsDocument);

  const needle = text.trim().toLowerCase();
  const rows = (errors.data?.syncErrors.edges.map((e) => e.node) ?? []).filter(
    (row) => !needle || `${row.mappingName} ${row.message ?? ''} ${row.result}`.toLowerCase().includes(needle),
  );
  const chosen = rows.filter((row) => selected.has(row.id)).map((row) => row.id);
  const afterAction = (jobs: OperatorJobFragment[] | undefined) => {
    if (!jobs) return;
    follow(jobs);
    setSelected(new Set());
    refresh({ requestPolicy: 'network-only' });
  };
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const busy = retried.fetching || resolved.fetching;

  return (
    <>
      <section className="card filters" aria-label="Filters">
        <label>
          Mapping
          <select value={mappingName} onChange={(e) => setMappingName(e.target.value)}>
            <option value="">All</option>
            {mappings.map((m) => (
              <option key={m.name}>{m.name}</option>
            ))}
          </select>
        </label>
        <label>
          Result
          <select value={result} onChange={(e) => setResult(e.target.value as SyncResult | '')}>
            <option value="">All</option>
            {RESULTS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Text
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="in the message" />
        </label>
      </section>

      <section className="card" aria-label="Errors">
        <div className="list-head">
          <h2>
            {rows.length} of {errors.data?.syncErrors.totalCount ?? 0} errors
          </h2>
          {can('retrySyncErrors') && (
            <div className="actions" aria-label="Bulk actions">
              <button type="button" disabled={busy || chosen.length === 0} onClick={async () => afterAction((await retry({ ids: chosen })).data?.retrySyncErrors)}>
                Retry
              </button>
              {RESOLUTIONS.map(({ resolution, label, title }) => (
                <button
                  key={resolution}
                  type="button"
                  className="secondary"
                  title={title}
                  disabled={busy || chosen.length === 0}
                  onClick={async () => afterAction((await resolve({ ids: chosen, resolution })).data?.resolveSyncErrors)}
                >
                  {label}
                </button>
              ))}
            </div>
          )}
        </div>
        <ApiError error={errors.error ?? retried.error ?? resolved.error} />
        {done && (
          <p className="notice" role="status">
            {done.map(jobOutcome).join(' · ') || 'Nothing was done.'}
          </p>
        )}
        <div className="table-wrap">
          <table className="errors stack">
            <thead>
              <tr>
                {can('retrySyncErrors') && (
                  <th>
                    <input
                      type="checkbox"
                      aria-label="Select all"
                      checked={rows.length > 0 && chosen.length === rows.length}
                      onChange={(e) => setSelected(new Set(e.target.checked ? rows.map((r) => r.id) : []))}
                    />
                  </th>
                )}
                <th>Mapping</th>
                <th>Result</th>
                <th>Message</th>
                <th>Sides</th>
                <th>When</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <ErrorRow
                  key={row.id}
                  row={row}
                  selectable={can('retrySyncErrors')}
                  selected={selected.has(row.id)}
                  onToggle={() => toggle(row.id)}
                  open={open === row.id}
                  onOpen={() => setOpen(open === row.id ? null : row.id)}
                  canResolve={can('resolveSyncErrors')}
                  onResolved={afterAction}
                />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

type ErrorNode = OperatorSyncErrorsQuery['syncErrors']['edges'][number]['node'];

interface ErrorRowProps {
  row: ErrorNode;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
  open: boolean;
  onOpen: () => void;
  canResolve: boolean;
  onResolved: (jobs: OperatorJobFragment[]) => void;
}

function ErrorRow({ row, selectable, selected, onToggle, open, onOpen, canResolve, onResolved }: ErrorRowProps) {
  const recordId = (row.erpExists ? row.erpRecordId : null) ?? (row.crmExists ? row.crmRecordId : null);
  return (
    <>
      <tr data-testid={`sync-error-${row.id}`} className={selected ? 'selected' : undefined}>
        {selectable && (
          <td>
            <input type="checkbox" aria-label={`Select ${row.mappingName} error`} checked={selected} onChange={onToggle} />
          </td>
        )}
        <td data-label="Mapping">{row.mappingName}</td>
        <td data-label="Result">
          <StatusBadge value={row.result} />
        </td>
        <td data-label="Message" className="message">
          {row.message ?? ''}
        </td>
        <td data-label="Sides" className="small">
          <span>
            {row.erpExists ? 'ERP' : <s title="deleted">ERP</s>} · {row.crmExists ? 'CRM' : <s title="deleted">CRM</s>}
          </span>
        </td>
        <td data-label="When" className="small">
          {new Date(row.occurredAt).toLocaleString()}
        </td>
        <td>
          {(recordId || row.fields.length > 0) && (
            <button type="button" className="quiet small" aria-expanded={open} onClick={onOpen}>
              {open ? 'Hide' : 'Compare'}
            </button>
          )}
        </td>
      </tr>
      {open && (recordId || row.fields.length > 0) && (
        <tr className="detail">
          <td colSpan={7}>
            {row.fields.length > 0 && <FieldConflicts errorId={row.id} fields={row.fields} canResolve={canResolve} onResolved={onResolved} />}
            {recordId && <SideBySide mappingName={row.mappingName} recordId={recordId} />}
          </td>
        </tr>
      )}
    </>
  );
}
