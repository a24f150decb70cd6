import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  OperatorPossibleDuplicatesDocument,
  OperatorResolvePossibleDuplicateDocument,
  type DuplicateAction,
  type OperatorPossibleDuplicatesQuery,
} from '../../api/generated/operations';
import { jobSummary } from '../../api/job-progress';
import { ApiError } from '../components/api-error';
import { SideBySide } from '../components/side-by-side';
import { useCan } from '../session';
import { useFollowedJobs } from '../use-followed-jobs';
import { useRecordLabels } from '../use-record-labels';
import { useTableMappings } from '../use-table-mappings';

type Held = OperatorPossibleDuplicatesQuery['possibleDuplicates']['edges'][number]['node'];
type Candidate = Held['candidates'][number];

const yesNo = (value: boolean | null) => (value === null ? '—' : value ? 'same' : 'different');

/** Possible duplicates: records a sync held instead of creating them, with their candidates; couple, create or dismiss each. */
export function DuplicatesPage() {
  const can = useCan();
  const { mappings } = useTableMappings();
  const [mappingName, setMappingName] = useState('CUSTOMER');
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<DuplicateAction | null>(null);
  const [held, refresh] = useQuery({ query: OperatorPossibleDuplicatesDocument, variables: { mapping: mappingName, first: 500 } });
  const { jobs, follow } = useFollowedJobs(() => refresh({ requestPolicy: 'network-only' }));
  const [resolved, resolve] = useMutation(OperatorResolvePossibleDuplicateDocument);
  const rows = held.data?.possibleDuplicates.edges.map((e) => e.node) ?? [];
  const name = useRecordLabels(mappingName, [...new Set(rows.flatMap((row) => [row.recordId, ...row.candidates.map((c) => c.recordId)]))]);

  const act = async (row: Held, action: DuplicateAction, candidate?: Candidate) => {
    const chosen = candidate ? (row.direction === 'TO_CRM' ? { crmId: candidate.recordId } : { erpId: candidate.recordId }) : {};
    const result = await resolve({ id: row.id, action, ...chosen });
    const outcome = result.data?.resolvePossibleDuplicate;
    if (!outcome) return;
    setDone(action);
    follow(outcome.syncJob ? [outcome.syncJob] : []);
    refresh({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <section className="card filters" aria-label="Filters">
        <label>
          Mapping
          <select value={mappingName} onChange={(e) => setMappingName(e.target.value)}>
            {mappings.map((m) => (
              <option key={m.name}>{m.name}</option>
            ))}
          </select>
        </label>
      </section>

      <section className="card" aria-label="Possible duplicates">
        <div className="list-head">
          <h2>{held.data?.possibleDuplicates.totalCount ?? 0} held records</h2>
        </div>
        <ApiError error={held.error ?? resolved.error} />
        {done && (
          <p className="notice" role="status">
            {`${done}: ${jobs?.[0] ? jobSummary(jobs[0]) : 'taken off the queue'}`}
          </p>
        )}
        <div className="table-wrap">
          <table className="stack">
            <thead>
              <tr>
                <th>Held record</th>
                <th>Candidate</th>
                <th>Score</th>
                <th>Name</th>
                <th>Phone</th>
                <th>E-mail domain</th>
                <th>Address</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((row) =>
                row.candidates.map((candidate, index) => (
                  <tr key={`${row.id}/${candidate.recordId}`} data-testid={`possible-duplicate-${row.id}`}>
                    <td data-label="Held record">
                      {index === 0 && (
                        <>
                          {name(row.recordId)}
                          <div className="small muted">
                            in the {row.direction === 'TO_CRM' ? 'ERP' : 'CRM'} · held {new Date(row.heldAt).toLocaleString()}
                          </div>
                        </>
                      )}
                    </td>
                    <td data-label="Candidate">
                      {name(candidate.recordId)}{' '}
                      <button
                        type="button"
                        className="quiet small"
                        aria-expanded={open === `${row.id}/${candidate.recordId}`}
                        onClick={() => setOpen(open === `${row.id}/${candidate.recordId}` ? null : `${row.id}/${candidate.recordId}`)}
                      >
                        Compare
                      </button>
                    </td>
                    <td data-label="Score">{candidate.sameMatchFields ? '1 (match fields)' : candidate.score}</td>
                    <td data-label="Name">{candidate.nameSimilarity}</td>
                    <td data-label="Phone">{yesNo(candidate.samePhone)}</td>
                    <td data-label="E-mail domain">{yesNo(candidate.sameEmailDomain)}</td>
                    <td data-label="Address">{candidate.addressSimilarity ?? '—'}</td>
                    <td>
                      {can('resolvePossibleDuplicate') && (
                        <div className="actions">
                          <button type="button" disabled={resolved.fetching} onClick={() => act(row, 'COUPLE', candidate)}>
                            Couple
                          </button>
                          <button
                            type="button"
                            className="secondary"
                            disabled={resolved.fetching}
                            onClick={() => act(row, 'IGNORE', candidate)}
                            title="Not this record: never held for it again"
                          >
                            Not a duplicate
                          </button>
                          {index === 0 && (
                            <button
                              type="button"
                              className="secondary"
                              disabled={resolved.fetching}
                              onClick={() => act(row, 'CREATE')}
                              title="None of the candidates: create it now"
                            >
                              Create
                            </button>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
        {rows.flatMap((row) =>
          row.candidates
            .filter((candidate) => open === `${row.id}/${candidate.recordId}`)
            .map((candidate) => (
              <div key={candidate.recordId} className="detail" data-testid="duplicate-compare">
                <h3>Held record</h3>
                <SideBySide mappingName={row.mappingName} recordId={row.recordId} />
                <h3>Candidate</h3>
                <SideBySide mappingName={row.mappingName} recordId={candidate.recordId} />
              </div>
            )),
        )}
      </section>
    </>
  );
}
