import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { CrmRecord } from './crm-record';

export enum AccountOptionSet {
  PAYMENT_TERMS = 'PAYMENT_TERMS',
  FREIGHT_TERMS = 'FREIGHT_TERMS',
  SHIPPING_METHOD = 'SHIPPING_METHOD',
}

registerEnumType(AccountOptionSet, {
  name: 'CrmAccountOptionSet',
  description: 'The account option sets whose labels are data, not code.',
  valuesConfig: {
    PAYMENT_TERMS: { description: 'Dataverse account paymenttermscode.' },
    FREIGHT_TERMS: { description: 'Dataverse account address1_freighttermscode.' },
    SHIPPING_METHOD: { description: 'Dataverse account address1_shippingmethodcode.' },
  },
});

/** Dataverse option set metadata (an OptionMetadata of a local choice column). */
@Entity({ schema: 'crm', name: 'option_set_value' })
@Index(['optionSet', 'value'], { unique: true })
@Index(['optionSet', 'label'], { unique: true })
@ObjectType('CrmOptionSetValue', {
  description: 'One option (value and label) of an account choice column: payment terms, freight terms or shipping method.',
})
export class OptionSetValue extends CrmRecord {
  @Field(() => AccountOptionSet)
  @Column('varchar', { length: 30 })
  optionSet!: AccountOptionSet;

  @Field(() => Int)
  @Column('int')
  value!: number;

  @Field()
  @Column('varchar', { length: 100 })
  label!: string;
}
