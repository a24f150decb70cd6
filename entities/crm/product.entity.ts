import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

export enum ProductType {
  SALES_INVENTORY = 'SALES_INVENTORY',
  MISCELLANEOUS_CHARGES = 'MISCELLANEOUS_CHARGES',
  SERVICES = 'SERVICES',
  FLAT_FEES = 'FLAT_FEES',
}

registerEnumType(ProductType, { name: 'CrmProductType', description: 'Dataverse product producttypecode.' });

export enum ProductState {
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
  DRAFT = 'DRAFT',
}

registerEnumType(ProductState, { name: 'CrmProductState', description: 'Dataverse product statecode.' });

/** Dataverse `product`. */
@Entity({ schema: 'crm', name: 'product' })
@ObjectType('CrmProduct', { description: 'A CRM product (Dataverse product).' })
export class Product extends CrmRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 100 })
  productNumber!: string;

  @Field()
  @Column('varchar', { length: 100 })
  name!: string;

  @Field(() => ProductType)
  @Column('varchar', { length: 30 })
  productTypeCode!: ProductType;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  defaultUnitGroupId!: string | null;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  defaultUnitId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The default price list.' })
  @Index()
  @Column('uuid', { nullable: true })
  priceLevelId!: string | null;

  @Field(() => Float, { nullable: true })
  @Column({ ...decimalColumn, nullable: true })
  price!: number | null;

  @Field(() => Float, { nullable: true })
  @Column({ ...decimalColumn, nullable: true })
  standardCost!: number | null;

  @Field(() => Float, { description: 'The ERP inventory, shown to salespeople.' })
  @Column(decimalColumn)
  quantityOnHand!: number;

  @Field(() => ProductState)
  @Column('varchar', { length: 30 })
  stateCode!: ProductState;
}
