import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ErpRecord } from './erp-record';

/** Business Central's Unit of Measure table (204). */
@Entity({ schema: 'erp', name: 'unit_of_measure' })
@ObjectType('ErpUnitOfMeasure', { description: 'A unit of measure (BC table Unit of Measure).' })
export class UnitOfMeasure extends ErpRecord {
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 10 })
  code!: string;

  @Field()
  @Column('varchar', { length: 50 })
  description!: string;
}
