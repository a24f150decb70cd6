import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The gateway's part of Business Central's "Microsoft Dynamics 365 Connection Setup": which
 * features of the integration are on. A single row keyed by a blank primary key, as in BC. The
 * integration user is not kept here: the CRM marks it (systemuser integration user mode), and the
 * write-in product belongs to the ERP's Sales & Receivables Setup.
 */
@Entity({ schema: 'integration', name: 'connection_setup' })
export class ConnectionSetup {
  @PrimaryColumn('varchar', { length: 10, default: '' })
  primaryKey!: string;

  @Column('boolean', { default: false })
  salesOrderIntegrationEnabled!: boolean;

  @Column('boolean', { default: false })
  autoCreateSalesOrders!: boolean;

  @Column('boolean', { default: false })
  itemAvailabilityEnabled!: boolean;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 100 })
  modifiedBy!: string;
}
