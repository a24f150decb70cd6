import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { OperatorFullSyncProgressDocument, OperatorFullSyncRunDocument } from '../api/generated/operations';
import { applyProgressEvent, emptyRun, liveRunOf, type LiveRun } from '../api/job-progress';

/**
 * The latest full synchronisation, kept current by fullSyncProgress: the run under way (or the
 * next to start) streams its snapshot and every change; when it finishes, the subscription is
 * made again for the next one. Nothing is polled.
 */
export function useLiveRun(onFinished: () => void): { live: LiveRun; showRun: (run: LiveRun) => void } {
  const client = useClient();
  const [live, setLive] = useState<LiveRun>(emptyRun);
  const [generation, setGeneration] = useState(0);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    let active = true;
    client
      .query(OperatorFullSyncRunDocument, {}, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        // Events that came first are newer than this answer.
        if (active) setLive((current) => (current.run ? current : liveRunOf(result.data?.fullSyncRun)));
      });
    const subscription = client.subscription(OperatorFullSyncProgressDocument, {}).subscribe((result) => {
      const event = result.data?.fullSyncProgress;
      if (!event || !active) return;
      setLive((current) => applyProgressEvent(event.run && current.run && event.run.id !== current.run.id ? emptyRun : current, event));
      if (event.kind === 'FINISHED' && event.run) {
        finished.current();
        setGeneration((n) => n + 1);
      }
    });
    return () => {
      active = false;
      subscription.unsubscribe();
    };
  }, [client, generation]);

  const showRun = useCallback((run: LiveRun) => setLive((current) => (current.run?.id === run.run?.id ? current : run)), []);
  return { live, showRun };
}
