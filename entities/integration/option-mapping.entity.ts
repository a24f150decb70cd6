import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One of the three ERP tables mapped onto an option field of the CRM account
 * (Payment Terms, Shipment Method → Freight Terms, Shipping Agent → Shipping Method).
 */
@ObjectType('IntegrationOptionMapping', { description: 'An ERP table mapped onto an option field of the CRM account.' })
@Entity({ schema: 'integration', name: 'option_mapping' })
export class OptionMapping {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 30 })
  name!: string;

  @Field()
  @Column('varchar', { length: 60 })
  erpTable!: string;

  /** The field of the ERP customer that holds a code of erpTable. */
  @Field()
  @Column('varchar', { length: 60 })
  erpCustomerField!: string;

  /** The option set of the CRM account that receives the value. */
  @Field()
  @Column('varchar', { length: 30 })
  crmOptionSet!: string;

  @Field()
  @Column('varchar', { length: 60 })
  crmAccountField!: string;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}
