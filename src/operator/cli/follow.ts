import { OperatorFullSyncProgressDocument, OperatorFullSyncReviewDocument, OperatorSyncJobProgressDocument, type OperatorJobFragment } from '../api/generated/operations';
import { applyProgressEvent, emptyRun, expectedFromReview, isFinishedStatus, runFraction, type LiveJob, type LiveRun } from '../api/job-progress';
import type { GatewayConnection } from './gateway-connection';
import { JobDisplay } from './job-display';

/** Follows a full synchronisation over fullSyncProgress until its final event; returns how it ended. */
export async function followRun(gateway: GatewayConnection, start: LiveRun, display: JobDisplay | null): Promise<LiveRun> {
  let state = start;
  const expected = display ? expectedFromReview((await gateway.request(OperatorFullSyncReviewDocument)).fullSyncReview) : () => null;
  display?.show(state, runFraction(state, expected));
  await gateway.subscribe(OperatorFullSyncProgressDocument, { runId: start.run?.id ?? null }, ({ fullSyncProgress: event }) => {
    state = applyProgressEvent(event.run && state.run && event.run.id !== state.run.id ? emptyRun : state, event);
    display?.show(state, runFraction(state, expected));
  });
  display?.stop();
  return state;
}

/** Follows one background job over syncJobProgress until its final event; returns it as it ended. */
export async function followJob(gateway: GatewayConnection, job: OperatorJobFragment, display: JobDisplay | null, key = job.id): Promise<LiveJob> {
  let state: LiveRun = applyProgressEvent(emptyRun, { kind: 'SNAPSHOT', job });
  display?.showJob(state.jobs.get(job.id)!, key);
  await gateway.subscribe(OperatorSyncJobProgressDocument, { jobId: job.id }, ({ syncJobProgress: event }) => {
    state = applyProgressEvent(state, event);
    if (event.job) display?.showJob(state.jobs.get(event.job.id)!, key);
  });
  display?.stop();
  return state.jobs.get(job.id)!;
}

/** The jobs a mutation answered with, as they ended: one the gateway queued behind a run of its mapping under way is followed until it has run. */
export const ended = (gateway: GatewayConnection, jobs: readonly OperatorJobFragment[]): Promise<OperatorJobFragment[]> =>
  Promise.all(jobs.map((job) => (isFinishedStatus(job.status) ? job : followJob(gateway, job, null))));
