import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { OperatorSyncJobProgressDocument, type OperatorJobFragment } from '../api/generated/operations';
import { isFinishedStatus } from '../api/job-progress';

/**
 * The jobs a mutation answered with, kept current: one the gateway queued behind a run of its
 * mapping is followed over syncJobProgress until it ends, and `onFinished` is called then (the
 * list it changed is read again). Nothing is polled.
 */
export function useFollowedJobs(onFinished: () => void): { jobs: OperatorJobFragment[] | null; follow: (jobs: OperatorJobFragment[]) => void } {
  const client = useClient();
  const [jobs, setJobs] = useState<OperatorJobFragment[] | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const following = useRef<Array<{ unsubscribe(): void }>>([]);
  useEffect(() => () => following.current.forEach((subscription) => subscription.unsubscribe()), []);

  const follow = useCallback(
    (answered: OperatorJobFragment[]) => {
      following.current.forEach((subscription) => subscription.unsubscribe());
      setJobs(answered);
      following.current = answered
        .filter((job) => !isFinishedStatus(job.status))
        .map((job) =>
          client.subscription(OperatorSyncJobProgressDocument, { jobId: job.id }).subscribe((result) => {
            const changed = result.data?.syncJobProgress.job;
            if (!changed) return;
            setJobs((current) => current?.map((shown) => (shown.id === changed.id ? changed : shown)) ?? null);
            if (isFinishedStatus(changed.status)) finished.current();
          }),
        );
    },
    [client],
  );
  return { jobs, follow };
}
