import { Directive, Field, Float, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A posted ERP sales invoice and the CRM invoice it is coupled to (ERP → CRM).' })
export class Invoice extends UnifiedObject('Invoice', erp.SalesInvoiceHeader, crm.Invoice) {
  @Field(() => String, { nullable: true })
  number!: string | null;

  @Field(() => Float, { nullable: true, description: 'Including VAT.' })
  totalAmount!: number | null;

  @Field(() => Float, { nullable: true, description: 'Excluding VAT.' })
  amount!: number | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  postingDate!: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  dueDate!: string | null;
}
