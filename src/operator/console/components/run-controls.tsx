import { useMemo, useState } from 'react';
import { useMutation } from 'urql';
import { mutationWithArguments, runArgument } from '../../api/feature-operations';
import { useCan, useSession } from '../session';
import { ApiError } from './api-error';

/** Pause, resume and a dry run of a full synchronisation: shown where the gateway's API has them. */
export function RunControls({ runId, running, status }: { runId: string | null; running: boolean; status: string | null }) {
  const { features } = useSession();
  const can = useCan();
  const operations = useMemo(() => {
    const control = (name: string) => {
      const arg = runArgument(features, name);
      return arg ? { arg, query: mutationWithArguments(features, name, { [arg]: 'ID!' }) } : null;
    };
    return { pause: control('pauseFullSync'), resume: control('resumeFullSync'), dryRun: mutationWithArguments(features, 'startFullSync', { dryRun: 'Boolean' }) };
  }, [features]);
  const [paused, pause] = useMutation(operations.pause?.query ?? '');
  const [resumed, resume] = useMutation(operations.resume?.query ?? '');
  const [preview, dryRun] = useMutation(operations.dryRun ?? '');
  const [shown, setShown] = useState(false);

  return (
    <>
      {operations.pause && can('pauseFullSync') && running && runId && (
        <button type="button" className="secondary" onClick={() => void pause({ [operations.pause!.arg]: runId })}>
          Pause
        </button>
      )}
      {operations.resume && can('resumeFullSync') && (status === 'PAUSED' || status === 'CANCELLED') && runId && (
        <button type="button" className="secondary" onClick={() => void resume({ [operations.resume!.arg]: runId })}>
          Resume
        </button>
      )}
      {operations.dryRun && can('startFullSync') && !running && (
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
