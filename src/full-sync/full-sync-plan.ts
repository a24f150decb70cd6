import type { EntityManager } from 'typeorm';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJobStatus } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { transferredMappings } from '../mappings/standard-mappings';

export interface PlannedMapping {
  readonly name: string;
  readonly direction: SyncDirection;
  readonly dependsOn: readonly string[];
}

export interface PlannedJob {
  readonly mappingName: string;
  /** TO_CRM reads the ERP side, FROM_CRM the CRM side. */
  readonly direction: SyncDirection.TO_CRM | SyncDirection.FROM_CRM;
}

/** A job of a run as stored (job log rows allow a missing mapping or direction). */
interface JobState {
  readonly mappingName: string | null;
  readonly direction: SyncDirection | null;
  readonly status: SyncJobStatus;
}

/** The mappings a full synchronisation runs, in their sequence (sales orders are transferred, not synchronised). */
export async function synchronisedMappings(manager: EntityManager): Promise<PlannedMapping[]> {
  const mappings = await manager.find(TableMapping, { order: { sequence: 'ASC' } });
  return mappings.filter((mapping) => !transferredMappings.has(mapping.name));
}

/** The mappings in an order a full synchronisation's jobs can finish in: each after those it depends on, else in sequence. */
export function inDependencyOrder(mappings: readonly PlannedMapping[]): PlannedMapping[] {
  const names = new Set(mappings.map((mapping) => mapping.name));
  const ordered: PlannedMapping[] = [];
  const placed = new Set<string>();
  while (ordered.length < mappings.length) {
    const next = mappings.find((mapping) => !placed.has(mapping.name) && mapping.dependsOn.every((parent) => placed.has(parent) || !names.has(parent)));
    // A cycle (which the standard mappings do not have) is broken in sequence.
    const taken = next ?? mappings.find((mapping) => !placed.has(mapping.name))!;
    ordered.push(taken);
    placed.add(taken.name);
  }
  return ordered;
}

/** The jobs of a full synchronisation: one per direction a mapping runs in, to-CRM first. */
export function planJobs(mappings: readonly PlannedMapping[]): PlannedJob[] {
  return mappings.flatMap((mapping): PlannedJob[] => {
    const jobs: PlannedJob[] = [];
    if (mapping.direction !== SyncDirection.FROM_CRM) jobs.push({ mappingName: mapping.name, direction: SyncDirection.TO_CRM });
    if (mapping.direction !== SyncDirection.TO_CRM) jobs.push({ mappingName: mapping.name, direction: SyncDirection.FROM_CRM });
    return jobs;
  });
}

/**
 * The jobs that must finish before `job` starts: every job of the mappings it depends on (that
 * take part in the run), and for a bidirectional mapping's from-CRM job, its to-CRM job.
 */
export function prerequisitesOf<T extends JobState>(job: JobState, jobs: readonly T[], mappings: ReadonlyMap<string, PlannedMapping>): T[] {
  const parents = new Set<string | null>(mappings.get(job.mappingName ?? '')?.dependsOn ?? []);
  return jobs.filter(
    (other) => parents.has(other.mappingName) || (other.mappingName === job.mappingName && job.direction === SyncDirection.FROM_CRM && other.direction === SyncDirection.TO_CRM),
  );
}

export type Readiness = { readonly kind: 'READY' } | { readonly kind: 'WAITING' } | { readonly kind: 'HELD'; readonly reason: string };

/** Whether a waiting job may start: all its prerequisites succeeded; one that failed or was cancelled holds it. */
export function readiness(prerequisites: readonly JobState[]): Readiness {
  const blocker = prerequisites.find((p) => p.status === SyncJobStatus.FAILED || p.status === SyncJobStatus.CANCELLED);
  if (blocker) {
    const side = blocker.direction === SyncDirection.TO_CRM ? 'to-CRM' : 'from-CRM';
    return {
      kind: 'HELD',
      reason: `Not started: the ${side} job of ${blocker.mappingName}, which it depends on, ${blocker.status === SyncJobStatus.FAILED ? 'failed' : 'was cancelled'}`,
    };
  }
  return prerequisites.every((p) => p.status === SyncJobStatus.SUCCEEDED) ? { kind: 'READY' } : { kind: 'WAITING' };
}
