import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum SyncResult {
  SUCCESS = 'SUCCESS',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
  CONFLICT = 'CONFLICT',
}

/** The records a unified list shows: those with a side inside the mapping's filter. */
export const LISTED = '(erp_id IS NOT NULL AND erp_in_scope) OR (crm_id IS NOT NULL AND crm_in_scope)';

/**
 * The gateway's index of every record of a mapped table, on either side (Business Central keeps
 * its couplings in "CRM Integration Record"). A row holding both an ERP and a CRM key is a
 * coupling; a row with one key is a record known on one side only. Unique keys on both sides make
 * couplings one-to-one. Keeping uncoupled records here too lets a unified list page over both
 * systems, filter by sync state and remember why a record was skipped, without ever joining across
 * systems.
 */
@Entity({ schema: 'integration', name: 'integration_record' })
@Index(['mappingName', 'erpId'], { unique: true })
@Index(['mappingName', 'crmId'], { unique: true })
@Index(['mappingName', 'sortKey', 'id'], { where: LISTED })
// Coupled pairs in list order, without stepping over the one-sided records that sort among them.
@Index('IDX_integration_record_coupled_list', ['mappingName', 'sortKey', 'id'], { where: 'erp_id IS NOT NULL AND crm_id IS NOT NULL' })
// A link by code, read from the index alone (a compiled read's to-one relation by code).
@Index('IDX_integration_record_code_link', ['mappingName', 'erpCode', 'id', 'erpId', 'crmId'])
// Records known on one side only, the duplicate review's candidates (see src/duplicates/uncoupled-records.ts), without stepping over the couplings.
@Index('IDX_integration_record_erp_only', ['mappingName', 'erpId'], { where: 'crm_id IS NULL' })
@Index('IDX_integration_record_crm_only', ['mappingName', 'crmId'], { where: 'erp_id IS NULL' })
export class IntegrationRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 30 })
  mappingName!: string;

  @Column('uuid', { nullable: true })
  erpId!: string | null;

  @Column('uuid', { nullable: true })
  crmId!: string | null;

  /** The ERP record's code or No., by which other ERP records refer to it. */
  @Column('varchar', { length: 100, nullable: true })
  erpCode!: string | null;

  /**
   * Whether each side passes the mapping's filter. Records outside it are indexed too, so a
   * reference to one (a customer's currency without an ISO code) still resolves, but unified lists
   * show only records in scope.
   */
  @Column('boolean', { default: true })
  erpInScope!: boolean;

  @Column('boolean', { default: true })
  crmInScope!: boolean;

  /** Each side's modified-at as last indexed. */
  @Column('timestamptz', { nullable: true })
  erpModifiedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  crmModifiedAt!: Date | null;

  /** Number or name the unified list is ordered by: the ERP side's when there is one. */
  @Column('varchar', { length: 200 })
  sortKey!: string;

  /** Lower-cased number and name of each side, for text search. */
  @Column('text', { nullable: true })
  erpSearchText!: string | null;

  @Column('text', { nullable: true })
  crmSearchText!: string | null;

  /**
   * Each side's references to other records, as record-references.ts writes them: what a page's
   * statement finds its related records' links by. GIN-indexed by their entries (see the migration
   * RecordReferences); null until the side is indexed with them.
   */
  @Column('text', { nullable: true })
  erpRefs!: string | null;

  @Column('text', { nullable: true })
  crmRefs!: string | null;

  @Column('timestamptz', { nullable: true })
  coupledAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  lastSyncedAt!: Date | null;

  /** The side's modified-at that the last synchronisation saw: a later one is a change since. */
  @Column('timestamptz', { nullable: true })
  lastSyncedErpModifiedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  lastSyncedCrmModifiedAt!: Date | null;

  /**
   * Each mapped field's values as last synchronised, the ERP's and the CRM's, by CRM field (JSON):
   * the base of the per-field three-way merge. Null until the pair's first synchronisation.
   */
  @Column('text', { nullable: true })
  syncedValues!: string | null;

  /** Fields changed on both sides to different values, waiting for an operator (JSON array of CRM fields). */
  @Column('text', { nullable: true })
  conflictingFields!: string | null;

  /**
   * The sides (JSON array: "erp", "crm") changed by someone other than the engine when a run
   * began writing this pair, until a run records the pair as synchronised. The engine's write
   * stamps a record as its own, which hides that side's change from the next decision; a run cut
   * off between its writes and their record (a crash, the other side refusing its write) would
   * otherwise drop the edits it had not brought over yet.
   */
  @Column('text', { nullable: true })
  pendingChanges!: string | null;

  @Column('varchar', { length: 20, nullable: true })
  lastResult!: SyncResult | null;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @Column('timestamptz')
  modifiedAt!: Date;

  @Column('varchar', { length: 50 })
  modifiedBy!: string;
}
