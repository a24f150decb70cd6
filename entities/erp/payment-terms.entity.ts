import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

/** Business Central's Payment Terms table (3). */
@Entity({ schema: 'erp', name: 'payment_terms' })
@ObjectType('ErpPaymentTerms', { description: 'Payment terms (BC table Payment Terms).' })
export class PaymentTerms extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 10 })
  code!: string;

  @Field()
  @Column('varchar', { length: 100 })
  description!: string;

  @Field({ description: 'BC date formula for the due date, e.g. 30D.' })
  @Column('varchar', { length: 20 })
  dueDateCalculation!: string;
}
