import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum FullSyncRunStatus {
  RUNNING = 'RUNNING',
  /** Paused by an operator; resumeFullSync continues every job from its committed position. */
  PAUSED = 'PAUSED',
  SUCCEEDED = 'SUCCEEDED',
  /** Finished, with at least one job failed or held by a failed parent. */
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(FullSyncRunStatus, { name: 'FullSyncRunStatus' });

/**
 * One full synchronisation: every table mapping's jobs, run in dependency order in the background.
 * The partial unique index lets only one run be unfinished (running or paused) at a time, whichever process starts it.
 */
@ObjectType('FullSyncRun', { description: 'One full synchronisation of every table mapping, in dependency order.' })
@Entity({ schema: 'integration', name: 'full_sync_run' })
// Unique on a constant where status IN ('RUNNING', 'PAUSED'): TypeORM cannot declare an index on an expression, so the migration owns it.
@Index('UQ_full_sync_run_running', { synchronize: false })
export class FullSyncRun {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id!: string;

  @Field(() => FullSyncRunStatus)
  @Column('varchar', { length: 20 })
  status!: FullSyncRunStatus;

  @Field()
  @Column('timestamptz')
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;

  @Field()
  @Column('varchar', { length: 100 })
  requestedBy!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  message!: string | null;

  /** Since when the run's rate is measured: its start, or its latest resumption (the pause is not counted). */
  @Column('timestamptz', { nullable: true })
  rateSince!: Date | null;

  /** Records its jobs had read by then. */
  @Column('int', { default: 0 })
  processedAtRateSince!: number;
}
