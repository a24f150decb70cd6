import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

/** Dataverse `uom`. */
@Entity({ schema: 'crm', name: 'unit' })
@Index(['unitGroupId', 'name'], { unique: true })
@ObjectType('CrmUnit', { description: 'A CRM unit of measure (Dataverse uom) within a unit group.' })
export class Unit extends CrmRecord {
  @Field()
  @Column('varchar', { length: 100 })
  name!: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  unitGroupId!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  baseUomId!: string | null;

  @Field(() => Float, { description: 'How many base units (baseUomId) this unit holds.' })
  @Column(decimalColumn)
  quantity!: number;

  @Field()
  @Column('boolean')
  isScheduleBaseUom!: boolean;
}
