import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

/** Business Central's Customer Price Group table (6): groups customers share special sales prices through. */
@Entity({ schema: 'erp', name: 'customer_price_group' })
@ObjectType('ErpCustomerPriceGroup', { description: 'A customer price group (BC table Customer Price Group).' })
export class CustomerPriceGroup extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 10 })
  code!: string;

  @Field()
  @Column('varchar', { length: 100 })
  description!: string;

  // Defaults are BC's InitValues: invoice discount allowed, prices exclusive of VAT.
  @Field()
  @Column('boolean', { default: true })
  allowInvoiceDisc!: boolean;

  @Field()
  @Column('boolean', { default: false })
  priceIncludesVat!: boolean;
}
