import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Index, PrimaryColumn } from 'typeorm';

/**
 * What every Business Central-style table carries. The SystemId (a UUID) is the stable key the
 * connector and the integration store use; the human code/No. stays a unique business key because
 * ERP records reference each other by code, as Business Central does.
 */
// Every table is read as a change feed ordered by (modified-at, key).
@Index(['modifiedAt', 'systemId'])
@ObjectType()
export abstract class ErpRecord {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  systemId!: string;

  @Field()
  @Column('timestamptz')
  modifiedAt!: Date;

  @Field()
  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}
