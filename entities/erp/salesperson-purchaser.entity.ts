import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

/** Business Central's Salesperson/Purchaser table (13): the people customers and documents are assigned to. */
@Entity({ schema: 'erp', name: 'salesperson_purchaser' })
@ObjectType('ErpSalespersonPurchaser', { description: 'A salesperson or purchaser (BC table Salesperson/Purchaser).' })
export class SalespersonPurchaser extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 20 })
  code!: string;

  @Field()
  @Column('varchar', { length: 50 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 80, nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 30, nullable: true })
  phoneNo!: string | null;

  @Field()
  @Column('boolean', { default: false })
  blocked!: boolean;
}
