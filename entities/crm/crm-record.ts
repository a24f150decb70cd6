import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Index, PrimaryColumn } from 'typeorm';

/**
 * What every Dataverse-style entity carries: a GUID key, and its modified-at and modified-by (modifiedon/modifiedby), where
 * modifiedby is the systemuser who last wrote the row (the integration user's writes are how the
 * sync engine recognises its own changes).
 */
// type-graphql 2 dropped isAbstract (unreachable types are not emitted); subclasses need this to inherit the fields.
// Every table is read as a change feed ordered by (modified-at, key).
@Index(['modifiedAt', 'id'])
@ObjectType()
export abstract class CrmRecord {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id!: string;

  @Field()
  @Column('timestamptz')
  modifiedAt!: Date;

  @Field(() => ID)
  @Column('uuid')
  modifiedBy!: string;
}
