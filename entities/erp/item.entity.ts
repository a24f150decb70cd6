import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';

export enum ItemType {
  INVENTORY = 'INVENTORY',
  SERVICE = 'SERVICE',
  NON_INVENTORY = 'NON_INVENTORY',
}

registerEnumType(ItemType, { name: 'ErpItemType', description: 'BC item type.' });

/** Business Central's Item table (27). */
@Entity({ schema: 'erp', name: 'item' })
@ObjectType('ErpItem', { description: 'An item (BC table Item).' })
export class Item extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 20 })
  no!: string;

  @Field()
  @Column('varchar', { length: 100 })
  description!: string;

  @Field(() => ItemType)
  @Column('varchar', { length: 20 })
  type!: ItemType;

  @Field()
  @Index()
  @Column('varchar', { length: 10 })
  baseUnitOfMeasure!: string;

  @Field(() => Float)
  @Column(decimalColumn)
  unitPrice!: number;

  @Field(() => Float)
  @Column(decimalColumn)
  unitCost!: number;

  @Field(() => Float)
  @Column(decimalColumn)
  inventory!: number;

  @Field()
  @Column('boolean', { default: false })
  blocked!: boolean;
}
