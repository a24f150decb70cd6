import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { SyncDirection } from './sync-direction';

/** How a field's value crosses between the systems. */
export enum FieldTransformation {
  /** Copied as it is. */
  NONE = 'NONE',
  /** A reference to another mapped table: translated through that mapping's couplings. */
  COUPLING = 'COUPLING',
  /** An ERP code translated to a CRM option-set value through an option mapping. */
  OPTION = 'OPTION',
  /** Cut to the target field's length. */
  TRUNCATE = 'TRUNCATE',
}

/** Business Central's Integration Field Mapping (table 5336). */
@Entity({ schema: 'integration', name: 'field_mapping' })
@Index(['tableMappingName', 'erpField', 'crmField'], { unique: true })
export class FieldMapping {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('varchar', { length: 30 })
  tableMappingName!: string;

  /** The ERP field (entity property); null when the CRM field receives a constant. */
  @Column('varchar', { length: 60, nullable: true })
  erpField!: string | null;

  @Column('varchar', { length: 60 })
  crmField!: string;

  @Column('varchar', { length: 20 })
  direction!: SyncDirection;

  @Column('boolean', { default: true })
  enabled!: boolean;

  @Column('varchar', { length: 100, nullable: true })
  constantValue!: string | null;

  @Column('varchar', { length: 20, default: FieldTransformation.NONE })
  transformation!: FieldTransformation;

  /** For COUPLING: the mapping whose couplings translate the reference; for OPTION: the option mapping. */
  @Column('varchar', { length: 30, nullable: true })
  transformationSource!: string | null;

  /** Offered as a match field by match-based coupling. */
  @Column('boolean', { default: false })
  matchField!: boolean;

  @Column('int')
  sequence!: number;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}
