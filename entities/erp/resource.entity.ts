import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';

export enum ResourceType {
  PERSON = 'PERSON',
  MACHINE = 'MACHINE',
}

registerEnumType(ResourceType, { name: 'ErpResourceType', description: 'BC resource type.' });

/** Business Central's Resource table (156): people and machines sold by time. */
@Entity({ schema: 'erp', name: 'resource' })
@ObjectType('ErpResource', { description: 'A resource (BC table Resource).' })
export class Resource extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 20 })
  no!: string;

  @Field()
  @Column('varchar', { length: 100 })
  name!: string;

  @Field(() => ResourceType)
  @Column('varchar', { length: 20 })
  type!: ResourceType;

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

  @Field()
  @Column('boolean', { default: false })
  blocked!: boolean;
}
