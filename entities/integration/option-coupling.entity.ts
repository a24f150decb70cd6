import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One ERP code coupled to one CRM option value, within an option mapping (one to one on both sides). */
@ObjectType('IntegrationOptionCoupling', { description: 'An ERP code coupled to a CRM option value.' })
@Entity({ schema: 'integration', name: 'option_coupling' })
@Index(['optionMappingName', 'erpCode'], { unique: true })
@Index(['optionMappingName', 'crmValue'], { unique: true })
export class OptionCoupling {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 30 })
  optionMappingName!: string;

  @Field()
  @Column('varchar', { length: 20 })
  erpCode!: string;

  @Field(() => Int)
  @Column('int')
  crmValue!: number;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}
