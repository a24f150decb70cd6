import { Directive, Field, Float, ObjectType } from 'type-graphql';
import { TransactionCurrency } from '../entities/crm';
import { Currency as ErpCurrency } from '../entities/erp';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'An ERP currency and its CRM transaction currency, coupled on the ISO code.' })
export class Currency extends UnifiedObject('Currency', ErpCurrency, TransactionCurrency) {
  @Field(() => String, { nullable: true, description: 'Null for a currency with no standard ISO code (never synchronised).' })
  isoCode!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  symbol!: string | null;

  @Field(() => Float, { nullable: true })
  exchangeRate!: number | null;
}
