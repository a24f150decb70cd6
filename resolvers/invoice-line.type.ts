import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A posted ERP sales invoice line and the CRM invoice product it is coupled to.' })
export class InvoiceLine extends UnifiedObject('InvoiceLine', erp.SalesInvoiceLine, crm.InvoiceDetail) {
  @Field(() => Int, { nullable: true })
  lineNo!: number | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Float, { nullable: true })
  quantity!: number | null;

  @Field(() => Float, { nullable: true })
  unitPrice!: number | null;

  @Field(() => Float, { nullable: true })
  lineAmount!: number | null;
}
