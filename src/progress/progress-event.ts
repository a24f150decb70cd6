import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { FullSyncRun } from '../../entities/integration/full-sync-run.entity';
import { SyncJob, SyncJobStatus } from '../../entities/integration/sync-job.entity';
import type { RunProgress } from './run-progress';

export enum SyncProgressKind {
  /** The state when the subscriber joined. */
  SNAPSHOT = 'SNAPSHOT',
  /** A job or run changed status (waiting → ready → running …). */
  STATE = 'STATE',
  /** A job committed another chunk. */
  PROGRESS = 'PROGRESS',
  /** The job or run finished (succeeded, failed or cancelled); the subscription completes after it. */
  FINISHED = 'FINISHED',
}

registerEnumType(SyncProgressKind, { name: 'SyncProgressKind' });

/** One step of a background job or full synchronisation, as subscribers receive it. */
@ObjectType('SyncProgressEvent', { description: 'A change of state or progress of a background job or full synchronisation.' })
export class SyncProgressEvent {
  @Field(() => SyncProgressKind)
  kind!: SyncProgressKind;

  @Field(() => ID, { nullable: true, description: 'The full synchronisation the event belongs to.' })
  runId!: string | null;

  @Field(() => SyncJob, { nullable: true, description: 'The job as it is now (null on events about the run as a whole).' })
  job!: SyncJob | null;

  @Field(() => FullSyncRun, { nullable: true, description: 'The run as it is now, on events about the run as a whole.' })
  run!: FullSyncRun | null;

  @Field(() => Float, { nullable: true, description: 'Source records per second since the job (last) started.' })
  recordsPerSecond!: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds left at that rate.' })
  etaSeconds!: number | null;

  @Field()
  at!: Date;

  /** The run as a whole, on every event of a full synchronisation (see RunProgress; typed at the edge). */
  runProgress!: RunProgress | null;
}

/** Rate and time left of a running job, from what it has read since it (last) started. */
export function jobRate(job: SyncJob, resumedAt: Date | null, processedAtResume: number, now = new Date()): Pick<SyncProgressEvent, 'recordsPerSecond' | 'etaSeconds'> {
  if (job.status !== SyncJobStatus.RUNNING || !resumedAt) return { recordsPerSecond: null, etaSeconds: null };
  const seconds = (now.getTime() - resumedAt.getTime()) / 1000;
  const done = job.processed - processedAtResume;
  if (seconds <= 0 || done <= 0) return { recordsPerSecond: null, etaSeconds: null };
  const recordsPerSecond = done / seconds;
  const left = job.estimatedTotal === null ? null : Math.max(0, job.estimatedTotal - job.processed);
  return { recordsPerSecond, etaSeconds: left === null ? null : left / recordsPerSecond };
}

const JOB_DATES = ['startedAt', 'finishedAt', 'modifiedAt', 'resumeModifiedAt'] as const;
const RUN_DATES = ['startedAt', 'finishedAt', 'rateSince'] as const;

function revive<T extends object>(value: T | null, dates: readonly string[]): T | null {
  if (!value) return null;
  const copy = { ...value } as Record<string, unknown>;
  for (const key of dates) if (typeof copy[key] === 'string') copy[key] = new Date(copy[key] as string);
  return copy as unknown as T;
}

/** An event from its NOTIFY payload (JSON turns dates into strings). */
export function eventFromWire(payload: string): SyncProgressEvent {
  const raw = JSON.parse(payload) as SyncProgressEvent;
  return Object.assign(new SyncProgressEvent(), {
    ...raw,
    job: revive(raw.job, JOB_DATES),
    run: revive(raw.run, RUN_DATES),
    at: new Date(raw.at as unknown as string),
  });
}
