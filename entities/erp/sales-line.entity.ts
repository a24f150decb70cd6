import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { ErpRecord } from './erp-record';
import { SalesDocumentType } from './sales-header.entity';

/** BC's line Type option, shared by open and posted sales lines; COMMENT is BC's blank type. */
export enum SalesLineType {
  COMMENT = 'COMMENT',
  ITEM = 'ITEM',
  RESOURCE = 'RESOURCE',
}

registerEnumType(SalesLineType, {
  name: 'ErpSalesLineType',
  description: "What a sales line sells; COMMENT is BC's blank type (text only, no No.).",
});

/** Business Central's Sales Line table (37): a line of an open sales quote, order, invoice or credit memo. */
@Entity({ schema: 'erp', name: 'sales_line' })
@ObjectType('ErpSalesLine', { description: 'A line of an open sales document (BC table Sales Line).' })
@Index(['documentType', 'documentNo', 'lineNo'], { unique: true })
export class SalesLine extends ErpRecord {
  @Field(() => SalesDocumentType)
  @Column('varchar', { length: 20 })
  documentType!: SalesDocumentType;

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

  // BC's Text[100] limit: longer CRM descriptions are continued on extra COMMENT lines.
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
