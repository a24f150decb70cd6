import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  OperatorCancelSyncJobDocument,
  OperatorFullSyncReviewDocument,
  OperatorStartFullSyncDocument,
  OperatorSyncJobsDocument,
  type OperatorFullSyncReviewQuery,
  type OperatorJobFragment,
} from '../../api/generated/operations';
import {
  directionLabel,
  expectedFromReview,
  formatEta,
  formatRate,
  isFinishedStatus,
  jobCounters,
  jobFraction,
  liveRunOf,
  runFraction,
  runLine,
  type LiveJob,
} from '../../api/job-progress';
import { ApiError } from '../components/api-error';
import { ProgressBar } from '../components/progress-bar';
import { StatusBadge } from '../components/status-badge';
import { RunControls } from '../components/run-controls';
import { useCan } from '../session';
import { useLiveRun } from '../use-live-run';

type ReviewLine = OperatorFullSyncReviewQuery['fullSyncReview'][number];

const time = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * Full Synch. Review, live: every mapping with its recommendation and its to-CRM and from-CRM
 * jobs of the latest run, the run's overall bar, start and cancel, and the finished runs.
 */
export function FullSyncPage() {
  const can = useCan();
  const [review, refreshReview] = useQuery({ query: OperatorFullSyncReviewDocument });
  const [log, refreshLog] = useQuery({ query: OperatorSyncJobsDocument, variables: { first: 500, filter: { type: 'SYNC' } } });
  const refresh = () => {
    refreshReview({ requestPolicy: 'network-only' });
    refreshLog({ requestPolicy: 'network-only' });
  };
  const { live, showRun } = useLiveRun(refresh);
  const [started, startFullSync] = useMutation(OperatorStartFullSyncDocument);
  const [cancelled, cancelJob] = useMutation(OperatorCancelSyncJobDocument);

  const lines = review.data?.fullSyncReview ?? [];
  const jobOf = (line: ReviewLine, direction: 'TO_CRM' | 'FROM_CRM'): LiveJob | OperatorJobFragment | null => {
    for (const job of live.jobs.values()) if (job.mappingName === line.mappingName && job.direction === direction) return job;
    return live.run ? null : ((direction === 'TO_CRM' ? line.toCrmJob : line.fromCrmJob) ?? null);
  };
  const running = live.run?.status === 'RUNNING';
  // A paused run is still under way: a new one cannot start until it finishes, is resumed or cancelled.
  const underWay = running || live.run?.status === 'PAUSED';
  const overall = runFraction(live, expectedFromReview(lines));

  return (
    <>
      <section className="card run" aria-label="Run">
        <div className="run-head">
          <div>
            <h2>{live.run ? (running ? 'Run under way' : underWay ? 'Run paused' : 'Latest run') : 'No full synchronisation yet'}</h2>
            {live.run && (
              <p className="muted">
                <StatusBadge value={live.run.status} /> started {time(live.run.startedAt)} by {live.run.requestedBy}
                {live.run.finishedAt ? `, finished ${time(live.run.finishedAt)}` : ''}
                {live.run.message ? ` — ${live.run.message}` : ''}
              </p>
            )}
          </div>
          <div className="actions">
            {can('startFullSync') && (
              <button
                type="button"
                disabled={underWay || started.fetching}
                onClick={async () => {
                  const result = await startFullSync({});
                  if (result.data) showRun(liveRunOf(result.data.startFullSync));
                }}
              >
                Start full synchronisation
              </button>
            )}
            <RunControls runId={live.run?.id ?? null} status={live.run?.status ?? null} />
          </div>
        </div>
        {live.run && <ProgressBar label="Overall" fraction={overall} status={live.run.status} detail={runLine(live)} />}
        <ApiError error={started.error ?? cancelled.error} />
      </section>

      <section className="card" aria-label="Mappings">
        <h2>Mappings</h2>
        <ApiError error={review.error} />
        <div className="table-wrap">
          <table className="review stack">
            <thead>
              <tr>
                <th>Mapping</th>
                <th>Recommendation</th>
                <th className="num">ERP</th>
                <th className="num">CRM</th>
                <th className="num">Coupled</th>
                <th>To CRM</th>
                <th>From CRM</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.mappingName}>
                  <td data-label="Mapping">
                    <div>
                      <strong>{line.mappingName}</strong>
                      <div className="muted small">{line.dependsOn.length > 0 ? `after ${line.dependsOn.join(', ')}` : directionLabel(line.direction)}</div>
                    </div>
                  </td>
                  <td data-label="Recommendation">
                    <StatusBadge value={line.recommendation} />
                  </td>
                  <td data-label="ERP" className="num">
                    {line.erpRecords}
                  </td>
                  <td data-label="CRM" className="num">
                    {line.crmRecords}
                  </td>
                  <td data-label="Coupled" className="num">
                    {line.coupledRecords}
                  </td>
                  {(['TO_CRM', 'FROM_CRM'] as const).map((direction) => (
                    <td key={direction} data-label={directionLabel(direction)} className="job-cell">
                      <JobProgress job={jobOf(line, direction)} canCancel={can('cancelSyncJob')} onCancel={(id) => void cancelJob({ id })} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <FinishedRuns jobs={log.data?.syncJobs.edges.map((e) => e.node) ?? []} currentRunId={underWay ? (live.run?.id ?? null) : null} />
    </>
  );
}

function JobProgress({ job, canCancel, onCancel }: { job: LiveJob | OperatorJobFragment | null; canCancel: boolean; onCancel: (id: string) => void }) {
  if (!job) return <span className="muted">—</span>;
  const rate = 'recordsPerSecond' in job ? formatRate(job.recordsPerSecond) : '';
  const eta = 'etaSeconds' in job ? formatEta(job.etaSeconds) : '';
  const finished = isFinishedStatus(job.status);
  const detail = [`${job.processed}${job.estimatedTotal !== null && job.estimatedTotal !== undefined ? ` of ${job.estimatedTotal}` : ''}`, rate, eta].filter(Boolean).join(' · ');
  return (
    <div className="job" data-testid={`job-${job.mappingName}-${job.direction}`}>
      <div className="job-head">
        <StatusBadge value={job.status} />
        {!finished && canCancel && (
          <button type="button" className="quiet small" onClick={() => onCancel(job.id)}>
            Cancel
          </button>
        )}
      </div>
      <ProgressBar label={`${job.mappingName} ${directionLabel(job.direction)}`} fraction={jobFraction(job)} detail={detail} status={job.status} />
      {finished && <div className="small muted">{jobCounters(job)}</div>}
      {job.message && <div className="small muted">{job.message}</div>}
    </div>
  );
}

interface FinishedRun {
  id: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  requestedBy: string;
  jobs: OperatorJobFragment[];
}

const WORST = ['FAILED', 'CANCELLED', 'PAUSED', 'RUNNING', 'READY', 'WAITING', 'SUCCEEDED'];

/** Finished runs from the job log: each run's jobs and their counters added up. */
function FinishedRuns({ jobs, currentRunId }: { jobs: OperatorJobFragment[]; currentRunId: string | null }) {
  const runs = useMemo(() => {
    const byRun = new Map<string, FinishedRun>();
    for (const job of jobs) {
      if (!job.runId || job.runId === currentRunId) continue;
      const run = byRun.get(job.runId) ?? {
        id: job.runId,
        status: 'SUCCEEDED',
        startedAt: job.startedAt,
        finishedAt: job.finishedAt ?? null,
        requestedBy: job.requestedBy,
        jobs: [],
      };
      run.jobs.push(job);
      if (WORST.indexOf(job.status) < WORST.indexOf(run.status)) run.status = job.status;
      if (job.startedAt < run.startedAt) run.startedAt = job.startedAt;
      if (job.finishedAt && (!run.finishedAt || job.finishedAt > run.finishedAt)) run.finishedAt = job.finishedAt;
      byRun.set(job.runId, run);
    }
    return [...byRun.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }, [jobs, currentRunId]);
  const total = (run: FinishedRun, key: 'inserted' | 'modified' | 'unchanged' | 'skipped' | 'failed' | 'conflicts' | 'heldAsDuplicate' | 'coupled') =>
    run.jobs.reduce((sum, job) => sum + job[key], 0);
  return (
    <section className="card" aria-label="Finished runs">
      <h2>Finished runs</h2>
      {runs.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Started</th>
                <th>Status</th>
                <th>By</th>
                <th className="num">Jobs</th>
                <th className="num">Inserted</th>
                <th className="num">Modified</th>
                <th className="num">Unchanged</th>
                <th className="num">Skipped</th>
                <th className="num">Failed</th>
                <th className="num">Conflicts</th>
                <th className="num">Held as duplicate</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>{time(run.startedAt)}</td>
                  <td>
                    <StatusBadge value={run.status} />
                  </td>
                  <td>{run.requestedBy}</td>
                  <td className="num">{run.jobs.length}</td>
                  <td className="num">{total(run, 'inserted')}</td>
                  <td className="num">{total(run, 'modified')}</td>
                  <td className="num">{total(run, 'unchanged')}</td>
                  <td className="num">{total(run, 'skipped')}</td>
                  <td className="num">{total(run, 'failed')}</td>
                  <td className="num">{total(run, 'conflicts')}</td>
                  <td className="num">{total(run, 'heldAsDuplicate')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
