import { useMemo, useState } from 'react';
import { useMutation } from 'urql';
import { mutationWithArguments } from '../../api/feature-operations';
import { OperatorPauseFullSyncDocument, OperatorResumeFullSyncDocument } from '../../api/generated/operations';
import { useCan, useSession } from '../session';
import { ApiError } from './api-error';

/** Pause and resume of a full synchronisation, and a dry run where the gateway's API has one. */
export function RunControls({ runId, status }: { runId: string | null; status: string | null }) {
  const { features } = useSession();
  const can = useCan();
  const dryRunQuery = useMemo(() => mutationWithArguments(features, 'startFullSync', { dryRun: 'Boolean' }), [features]);
  const [paused, pause] = useMutation(OperatorPauseFullSyncDocument);
  const [resumed, resume] = useMutation(OperatorResumeFullSyncDocument);
  const [preview, dryRun] = useMutation(dryRunQuery ?? '');
  const [shown, setShown] = useState(false);
  const underWay = status === 'RUNNING' || status === 'PAUSED';

  return (
    <>
      {can('pauseFullSync') && status === 'RUNNING' && runId && (
        <button type="button" className="secondary" disabled={paused.fetching} onClick={() => void pause({ runId })}>
          Pause
        </button>
      )}
      {can('resumeFullSync') && (status === 'PAUSED' || status === 'CANCELLED') && runId && (
        <button type="button" className="secondary" disabled={resumed.fetching} onClick={() => void resume({ runId })}>
          Resume
        </button>
      )}
      {dryRunQuery && can('startFullSync') && !underWay && (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setShown(true);
            void dryRun({ dryRun: true });
          }}
        >
          Dry run
        </button>
      )}
      <ApiError error={paused.error ?? resumed.error ?? preview.error} />
      {shown && preview.data && (
        <details open className="preview">
          <summary>What a full synchronisation would do (nothing was written)</summary>
          <pre>{JSON.stringify(preview.data, null, 2)}</pre>
        </details>
      )}
    </>
  );
}
