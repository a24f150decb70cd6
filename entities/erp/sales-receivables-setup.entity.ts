import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

export enum WriteInProductType {
  ITEM = 'ITEM',
  RESOURCE = 'RESOURCE',
}

registerEnumType(WriteInProductType, {
  name: 'ErpWriteInProductType',
  description: 'Whether the write-in product is an item or a resource.',
});

/** Business Central's Sales & Receivables Setup table (311): a single-row setup table keyed by a blank primary key. */
@Entity({ schema: 'erp', name: 'sales_receivables_setup' })
@ObjectType('ErpSalesReceivablesSetup', {
  description: 'Sales & receivables setup (BC table Sales & Receivables Setup).',
})
export class SalesReceivablesSetup extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 10, default: '' })
  primaryKey!: string;

  @Field(() => WriteInProductType)
  @Column('varchar', { length: 20, default: WriteInProductType.ITEM })
  writeInProductType!: WriteInProductType;

  @Field(() => String, {
    nullable: true,
    description: 'Item or resource No. used for CRM write-in (catalogue-less) product lines.',
  })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  writeInProductNo!: string | null;
}
