import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { SyncDirection } from './sync-direction';

export enum SyncJobType {
  SYNC = 'SYNC',
  COUPLE = 'COUPLE',
  UNCOUPLE = 'UNCOUPLE',
  COUPLE_BY_MATCH = 'COUPLE_BY_MATCH',
  /** CRM sales orders transferred into ERP sales orders. */
  TRANSFER = 'TRANSFER',
}

export enum SyncJobStatus {
  /** Waiting for its turn: a full-synchronisation job whose parent mappings have not finished, or a run asked for while its mapping runs. */
  WAITING = 'WAITING',
  /** Queued for a worker. */
  READY = 'READY',
  RUNNING = 'RUNNING',
  /** Stopped by an operator (pauseFullSync) at a committed position; resumeFullSync continues it. */
  PAUSED = 'PAUSED',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

/** One run of the engine (a synchronisation, a coupling, an uncoupling) and what it did. */
@ObjectType('SyncJob', { description: 'One run of the engine and what it did.' })
@Entity({ schema: 'integration', name: 'sync_job' })
@Index(['startedAt', 'id'])
export class SyncJob {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id!: string;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 30, nullable: true })
  mappingName!: string | null;

  @Field(() => SyncJobType)
  @Column('varchar', { length: 20 })
  type!: SyncJobType;

  @Field(() => SyncDirection, { nullable: true })
  @Column('varchar', { length: 20, nullable: true })
  direction!: SyncDirection | null;

  @Field(() => SyncJobStatus)
  @Column('varchar', { length: 20 })
  status!: SyncJobStatus;

  @Field()
  @Column('timestamptz')
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int)
  @Column('int', { default: 0 })
  inserted!: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  modified!: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  deleted!: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  unchanged!: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  skipped!: number;

  @Field(() => Int, { description: 'Records the target system refused, and deletions waiting for a decision.' })
  @Column('int', { default: 0 })
  failed!: number;

  @Field(() => Int, { description: 'Records changed in both systems that the conflict policy left for an operator (see syncErrors).' })
  @Column('int', { default: 0 })
  conflicts!: number;

  @Field(() => Int, { description: 'Records held for duplicate review instead of created (see possibleDuplicates): neither inserted nor failed.' })
  @Column('int', { default: 0 })
  heldAsDuplicate!: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  coupled!: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  uncoupled!: number;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  message!: string | null;

  /** The full synchronisation this job belongs to, if any. */
  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  runId!: string | null;

  /** Source records read so far. */
  @Field(() => Int)
  @Column('int', { default: 0 })
  processed!: number;

  /** Source records the job expects to read, counted when it starts (null while unknown). */
  @Field(() => Int, { nullable: true })
  @Column('int', { nullable: true })
  estimatedTotal!: number | null;

  /** For a job of a full synchronisation: the records it was expected to read when the run started, before it counted them itself (estimatedTotal). */
  @Column('int', { nullable: true })
  plannedTotal!: number | null;

  /** Where a resumed job continues: the modified-at and key of the last source record it committed. */
  @Column('timestamptz', { nullable: true })
  resumeModifiedAt!: Date | null;

  @Column('varchar', { length: 100, nullable: true })
  resumeKey!: string | null;

  /** The job engine's (pg-boss) job that runs this one. */
  @Column('uuid', { nullable: true })
  queueJobId!: string | null;

  /** Who asked for the run: a token's subject, or the scheduler. */
  @Field()
  @Column('varchar', { length: 100 })
  requestedBy!: string;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}

registerEnumType(SyncJobType, { name: 'SyncJobType' });

registerEnumType(SyncJobStatus, { name: 'SyncJobStatus' });
