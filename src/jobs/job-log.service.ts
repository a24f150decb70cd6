import type { DataSource } from 'typeorm';
import { SyncJob, type SyncJobStatus, type SyncJobType } from '../../entities/integration/sync-job.entity';
import { badInput } from '../errors/domain-error';
import { isUuid, requireUuid } from '../errors/input-checks';
import { decodeCursor, encodeCursor, isTime } from '../paging/page-cursor';

export interface JobFilter {
  readonly mappingName?: string | null;
  readonly type?: SyncJobType | null;
  readonly status?: SyncJobStatus | null;
}

const cursorOf = (job: SyncJob) => encodeCursor(job.startedAt.toISOString(), job.id);

/** The job log: one row per run of the engine, as SyncJobStates wrote it. */
export class JobLogService {
  constructor(private readonly integration: DataSource) {}

  get(id: string): Promise<SyncJob | null> {
    requireUuid(id, 'id', 'job id');
    return this.integration.getRepository(SyncJob).findOneBy({ id });
  }

  count(filter: JobFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  private filtered(filter: JobFilter) {
    const query = this.integration.getRepository(SyncJob).createQueryBuilder('j');
    if (filter.mappingName) query.andWhere('j.mapping_name = :mappingName', { mappingName: filter.mappingName });
    if (filter.type) query.andWhere('j.type = :type', { type: filter.type });
    if (filter.status) query.andWhere('j.status = :status', { status: filter.status });
    return query;
  }

  /** Newest first. */
  async list(filter: JobFilter, first: number, after?: string | null): Promise<{ jobs: SyncJob[]; cursors: string[]; hasNextPage: boolean }> {
    if (!Number.isInteger(first) || first < 0 || first > 1000) throw badInput('first must be between 0 and 1000', { argument: 'first' });
    const query = this.filtered(filter);
    if (after) {
      const [startedAt, id] = decodeCursor(after, 2, ([time, id]) => isTime(time!) && isUuid(id!));
      query.andWhere('(j.started_at, j.id) < (:startedAt, :id)', { startedAt, id });
    }
    const rows = await query
      .orderBy('j.started_at', 'DESC')
      .addOrderBy('j.id', 'DESC')
      .limit(first + 1)
      .getMany();
    const jobs = rows.slice(0, first);
    return { jobs, cursors: jobs.map(cursorOf), hasNextPage: rows.length > first };
  }
}
