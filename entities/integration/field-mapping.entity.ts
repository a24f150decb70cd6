import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
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
@ObjectType('IntegrationFieldMapping', { description: 'How one field crosses between the systems.' })
@Entity({ schema: 'integration', name: 'field_mapping' })
// Unique on (table mapping, ERP field, CRM field) with NULLS NOT DISTINCT, so that a constant
// mapping (no ERP field) is installed once, not once per start; TypeORM cannot declare that clause,
// so the migration that made it owns it.
@Index('UQ_field_mapping_fields', { synchronize: false })
export class FieldMapping {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id!: string;

  @Field()
  @Index()
  @Column('varchar', { length: 30 })
  tableMappingName!: string;

  /** The ERP field (entity property); null when the CRM field receives a constant. */
  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 60, nullable: true })
  erpField!: string | null;

  @Field()
  @Column('varchar', { length: 60 })
  crmField!: string;

  @Field(() => SyncDirection)
  @Column('varchar', { length: 20 })
  direction!: SyncDirection;

  @Field()
  @Column('boolean', { default: true })
  enabled!: boolean;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  constantValue!: string | null;

  @Field(() => FieldTransformation)
  @Column('varchar', { length: 20, default: FieldTransformation.NONE })
  transformation!: FieldTransformation;

  /** For COUPLING: the mapping whose couplings translate the reference; for OPTION: the option mapping. */
  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 30, nullable: true })
  transformationSource!: string | null;

  /** Offered as a match field by match-based coupling. */
  @Field()
  @Column('boolean', { default: false })
  matchField!: boolean;

  @Field(() => Int)
  @Column('int')
  sequence!: number;

  @Field()
  @Column('timestamptz')
  modifiedAt!: Date;

  @Field()
  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}

registerEnumType(FieldTransformation, { name: 'FieldTransformation' });
