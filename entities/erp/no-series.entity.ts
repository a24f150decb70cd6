import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Business Central's No. Series (table 308) with its one line folded in: where the numbers of new
 * records of a table come from. In Business Central the setup tables name the series (Customer
 * Nos. in Sales & Receivables Setup, Item Nos. in Inventory Setup…); here the series names the
 * table it numbers.
 */
@Entity({ schema: 'erp', name: 'no_series' })
export class NoSeries {
  @PrimaryColumn('varchar', { length: 20 })
  code!: string;

  @Column('varchar', { length: 100 })
  description!: string;

  /** The table whose new records take their No. from this series. */
  @Index({ unique: true })
  @Column('varchar', { length: 60 })
  tableName!: string;

  @Column('varchar', { length: 20 })
  startingNo!: string;

  /** The last number given out, or null before the first. */
  @Column('varchar', { length: 20, nullable: true })
  lastNoUsed!: string | null;

  @Column('int', { default: 1 })
  incrementBy!: number;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}
