import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';
import { SalesLineType } from './sales-line.entity';

/** Business Central's Sales Invoice Line table (113): a line of a posted sales invoice. */
@Entity({ schema: 'erp', name: 'sales_invoice_line' })
@ObjectType('ErpSalesInvoiceLine', { description: 'A line of a posted sales invoice (BC table Sales Invoice Line).' })
@Index(['documentNo', 'lineNo'], { unique: true })
export class SalesInvoiceLine extends ErpRecord {
  @Field()
  @Index()
  @Column('varchar', { length: 20 })
  documentNo!: string;

  @Field(() => Int)
  @Column('int')
  lineNo!: number;

  @Field(() => SalesLineType)
  @Column('varchar', { length: 20 })
  type!: SalesLineType;

  @Field(() => String, { nullable: true, description: 'Item or resource No.; null on COMMENT lines.' })
  @Index()
  @Column('varchar', { length: 20, nullable: true })
  no!: string | null;

  @Field()
  @Column('varchar', { length: 100 })
  description!: string;

  @Field(() => Float)
  @Column(decimalColumn)
  quantity!: number;

  @Field(() => Float)
  @Column(decimalColumn)
  unitPrice!: number;

  @Field(() => Float)
  @Column(decimalColumn)
  lineAmount!: number;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('varchar', { length: 10, nullable: true })
  unitOfMeasureCode!: string | null;
}
