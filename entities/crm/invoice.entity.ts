import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimalColumn } from '../decimal.transformer';
import { CrmRecord } from './crm-record';

export enum InvoiceState {
  ACTIVE = 'ACTIVE',
  CLOSED = 'CLOSED',
  PAID = 'PAID',
  CANCELED = 'CANCELED',
}

registerEnumType(InvoiceState, { name: 'CrmInvoiceState', description: 'Dataverse invoice statecode.' });

/** Dataverse `invoice`. */
@Entity({ schema: 'crm', name: 'invoice' })
@ObjectType('CrmInvoice', { description: 'A CRM invoice (Dataverse invoice).' })
export class Invoice extends CrmRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 100 })
  invoiceNumber!: string;

  @Field()
  @Column('varchar', { length: 300 })
  name!: string;

  @Field(() => ID, { description: 'The customer account.' })
  @Index()
  @Column('uuid')
  customerId!: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  ownerId!: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  transactionCurrencyId!: string | null;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  priceLevelId!: string | null;

  @Field(() => Float)
  @Column(decimalColumn)
  totalAmount!: number;

  @Field(() => Float)
  @Column(decimalColumn)
  totalLineItemAmount!: number;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @Column('date', { nullable: true })
  dateDelivered!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @Column('date', { nullable: true })
  dueDate!: string | null;

  @Field(() => InvoiceState)
  @Column('varchar', { length: 30 })
  stateCode!: InvoiceState;
}
