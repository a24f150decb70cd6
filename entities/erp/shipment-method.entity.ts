import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

/** Business Central's Shipment Method table (10): delivery terms such as EXW or CIF. */
@Entity({ schema: 'erp', name: 'shipment_method' })
@ObjectType('ErpShipmentMethod', { description: 'A shipment method (BC table Shipment Method).' })
export class ShipmentMethod extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 10 })
  code!: string;

  @Field()
  @Column('varchar', { length: 100 })
  description!: string;
}
