import { useState } from 'react';
import { useMutation } from 'urql';
import { OperatorSyncRecordsDocument, OperatorUncoupleDocument, type OperatorJobFragment, type SyncDirection } from '../../api/generated/operations';
import { jobSummary } from '../../api/job-progress';
import { RECORD_KINDS, type RecordKind, type RecordRow } from '../use-record-list';
import { useCan, useSession } from '../session';
import { useFollowedJobs } from '../use-followed-jobs';
import { ApiError } from './api-error';
import { CoupleWith } from './couple-with';
import { FieldHistory } from './field-history';
import { SideBySide } from './side-by-side';

const SYNC_ACTIONS: { direction: SyncDirection | null; label: string }[] = [
  { direction: null, label: 'Synchronise' },
  { direction: 'TO_CRM', label: 'Copy ERP → CRM' },
  { direction: 'FROM_CRM', label: 'Copy CRM → ERP' },
];

/** One record: both sides, its coupling and sync state, and what an operator can do with it. */
export function RecordDetail({ kind, row, onChanged, onClose }: { kind: RecordKind; row: RecordRow; onChanged: () => void; onClose: () => void }) {
  const can = useCan();
  const { features } = useSession();
  const mapping = RECORD_KINDS[kind].mapping;
  const [version, setVersion] = useState(0);
  const reread = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  const { jobs, follow } = useFollowedJobs(reread);
  const [synced, syncRecords] = useMutation(OperatorSyncRecordsDocument);
  const [uncoupled, uncouple] = useMutation(OperatorUncoupleDocument);
  const changed = (answered: (OperatorJobFragment | null | undefined)[] | undefined) => {
    if (!answered) return;
    follow(answered.filter((job): job is OperatorJobFragment => Boolean(job)));
    reread();
  };
  const outcome = jobs?.map((job) => `${job.type.toLowerCase()}: ${jobSummary(job)}`).join(' · ');

  return (
    <section className="card detail-card" aria-label="Record">
      <div className="list-head">
        <h2>
          {row.number ?? ''} {row.name ?? ''}
        </h2>
        <button type="button" className="quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <SideBySide key={`${row.id}-${version}`} mappingName={mapping} recordId={row.id} />
      {can('syncRecords') && (
        <div className="actions">
          {row.coupled &&
            SYNC_ACTIONS.map(({ direction, label }) => (
              <button key={label} type="button" className="secondary" onClick={async () => changed((await syncRecords({ ids: [row.id], direction })).data?.syncRecords)}>
                {label}
              </button>
            ))}
          {row.coupled && can('uncouple') && (
            <button type="button" className="secondary" onClick={async () => changed([(await uncouple({ id: row.id })).data?.uncouple.job])}>
              Uncouple
            </button>
          )}
        </div>
      )}
      {!row.coupled && can('couple') && <CoupleWith kind={kind} row={row} onCoupled={(jobs) => changed(jobs)} />}
      {outcome && (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      <ApiError error={synced.error ?? uncoupled.error} />
      {features.query('fieldHistory') && <FieldHistory mappingName={mapping} recordId={row.id} />}
    </section>
  );
}
