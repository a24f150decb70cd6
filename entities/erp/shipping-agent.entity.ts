import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

/** Business Central's Shipping Agent table (291): the carriers that deliver shipments. */
@Entity({ schema: 'erp', name: 'shipping_agent' })
@ObjectType('ErpShippingAgent', { description: 'A shipping agent (BC table Shipping Agent).' })
export class ShippingAgent extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 10 })
  code!: string;

  @Field()
  @Column('varchar', { length: 50 })
  name!: string;
}
