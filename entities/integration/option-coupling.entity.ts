import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One ERP code coupled to one CRM option value, within an option mapping (one to one on both sides). */
@Entity({ schema: 'integration', name: 'option_coupling' })
@Index(['optionMappingName', 'erpCode'], { unique: true })
@Index(['optionMappingName', 'crmValue'], { unique: true })
export class OptionCoupling {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 30 })
  optionMappingName!: string;

  @Column('varchar', { length: 20 })
  erpCode!: string;

  @Column('int')
  crmValue!: number;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}
