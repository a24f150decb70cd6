import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One of the three ERP tables mapped onto an option field of the CRM account
 * (Payment Terms, Shipment Method → Freight Terms, Shipping Agent → Shipping Method).
 */
@Entity({ schema: 'integration', name: 'option_mapping' })
export class OptionMapping {
  @PrimaryColumn('varchar', { length: 30 })
  name!: string;

  @Column('varchar', { length: 60 })
  erpTable!: string;

  /** The field of the ERP customer that holds a code of erpTable. */
  @Column('varchar', { length: 60 })
  erpCustomerField!: string;

  /** The option set of the CRM account that receives the value. */
  @Column('varchar', { length: 30 })
  crmOptionSet!: string;

  @Column('varchar', { length: 60 })
  crmAccountField!: string;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}
