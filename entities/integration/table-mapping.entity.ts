import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SyncDirection } from './sync-direction';
import type { RecordFilter } from './record-filter';

export enum ConflictResolution {
  NONE = 'NONE',
  ERP_WINS = 'ERP_WINS',
  CRM_WINS = 'CRM_WINS',
}

export enum DeletionConflictResolution {
  NONE = 'NONE',
  RESTORE = 'RESTORE',
  REMOVE_COUPLING = 'REMOVE_COUPLING',
}

/** Business Central's Integration Table Mapping (table 5335): one ERP table paired with one CRM entity. */
@ObjectType('IntegrationTableMapping', { description: 'A table mapping: one ERP table paired with one CRM entity.' })
@Entity({ schema: 'integration', name: 'table_mapping' })
export class TableMapping {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 30 })
  name!: string;

  @Field()
  @Column('varchar', { length: 60 })
  erpTable!: string;

  @Field()
  @Column('varchar', { length: 60 })
  crmTable!: string;

  @Field(() => SyncDirection)
  @Column('varchar', { length: 20 })
  direction!: SyncDirection;

  /** The directions the standard mapping permits; an operator may narrow a mapping, never widen it. */
  @Field(() => [SyncDirection])
  @Column('varchar', { length: 20, array: true })
  allowedDirections!: SyncDirection[];

  @Column('jsonb', { default: () => "'[]'" })
  erpFilter!: RecordFilter;

  @Column('jsonb', { default: () => "'[]'" })
  crmFilter!: RecordFilter;

  /**
   * Business Central's default: only coupled records are synchronised, so no run creates a record
   * that may already exist on the other side. A full synchronisation creates and couples for its own run.
   */
  @Field({
    description: 'Whether incremental runs leave uncoupled records alone (true by default, as in Business Central); a full synchronisation creates and couples for its own run.',
  })
  @Column('boolean', { default: true })
  syncOnlyCoupledRecords!: boolean;

  /**
   * Before a sync creates a record in the other system, it looks there for a likely match; one
   * scoring at least this (0 to 1) is held for review instead of created. Null or 0: no review.
   */
  @Field(() => Float, {
    nullable: true,
    description:
      'Records a sync would create are held for review (possibleDuplicates) when the other system has a match scoring at least this (0 to 1); null or 0 turns the review off.',
  })
  @Column('double precision', { nullable: true })
  duplicateThreshold!: number | null;

  @Field(() => ConflictResolution)
  @Column('varchar', { length: 20, default: ConflictResolution.NONE })
  updateConflictResolution!: ConflictResolution;

  @Field(() => DeletionConflictResolution)
  @Column('varchar', { length: 20, default: DeletionConflictResolution.NONE })
  deletionConflictResolution!: DeletionConflictResolution;

  /** Mappings whose records must be coupled first (salespeople before customers, …). */
  @Field(() => [String])
  @Column('varchar', { length: 30, array: true, default: () => "'{}'" })
  dependsOn!: string[];

  /** Position in the standard dependency order; lists and full synchronisation follow it. */
  @Field(() => Int)
  @Column('int')
  sequence!: number;

  /**
   * How far each side's records have been indexed into integration_record: the modified-at and
   * key of the last record indexed (see the discovery service).
   */
  @Column('timestamptz', { nullable: true })
  erpDiscoveredAt!: Date | null;

  @Column('uuid', { nullable: true })
  erpDiscoveredKey!: string | null;

  @Column('timestamptz', { nullable: true })
  crmDiscoveredAt!: Date | null;

  @Column('uuid', { nullable: true })
  crmDiscoveredKey!: string | null;

  /**
   * Incremental synchronisation reads each side's changes from here (less an overlap); it moves in
   * the same transaction as the couplings it covers.
   */
  @Column('timestamptz', { nullable: true })
  erpSyncedUntil!: Date | null;

  @Column('timestamptz', { nullable: true })
  crmSyncedUntil!: Date | null;

  /**
   * Changes reach the other system through change notifications within about a second; this
   * scheduled incremental run is the fallback for any notification that was missed.
   */
  @Field(() => Int)
  @Column('int', { default: 300 })
  incrementalIntervalSeconds!: number;

  /**
   * The full synchronisation whose job of this mapping an operator cancelled or paused: change
   * notifications and the schedule leave the mapping alone until that run is resumed.
   */
  @Field(() => ID, { nullable: true, description: 'The full synchronisation whose cancelled or paused job holds automatic runs of this mapping until it is resumed.' })
  @Column('uuid', { nullable: true })
  suspendedByRunId!: string | null;

  @Field()
  @Column('timestamptz')
  modifiedAt!: Date;

  @Field()
  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}

registerEnumType(ConflictResolution, { name: 'ConflictResolution' });

registerEnumType(DeletionConflictResolution, { name: 'DeletionConflictResolution' });
