import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { CrmRecord } from './crm-record';

/** Dataverse `uomschedule`. */
@Entity({ schema: 'crm', name: 'unit_group' })
@ObjectType('CrmUnitGroup', { description: 'A CRM unit group (Dataverse uomschedule): a family of convertible units.' })
export class UnitGroup extends CrmRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 200 })
  name!: string;

  @Field()
  @Column('varchar', { length: 100 })
  baseUomName!: string;
}
