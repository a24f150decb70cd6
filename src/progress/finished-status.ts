import { SyncJobStatus } from '../../entities/integration/sync-job.entity';

const TERMINAL = new Set<string>([SyncJobStatus.SUCCEEDED, SyncJobStatus.FAILED, SyncJobStatus.CANCELLED]);

/** A job or run in one of these states moves no more (a paused one may still resume). */
export const isFinished = (status: string): boolean => TERMINAL.has(status);
