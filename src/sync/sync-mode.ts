export enum SyncMode {
  /** Records changed since the mapping's watermarks (less an overlap). */
  INCREMENTAL = 'INCREMENTAL',
  /** Every record of both tables; creates and couples counterparts of uncoupled records, and applies the deletion policy. */
  FULL = 'FULL',
}

/** What an operator decides for a reported record. */
export enum SyncResolution {
  /** Copy the ERP side to the CRM. */
  ERP_WINS = 'ERP_WINS',
  /** Copy the CRM side to the ERP. */
  CRM_WINS = 'CRM_WINS',
  /** A deleted record: recreate it from the other side. */
  RESTORE = 'RESTORE',
  /** A deleted record: keep the survivor, uncoupled. */
  REMOVE_COUPLING = 'REMOVE_COUPLING',
  /** A deleted record: delete the survivor too. */
  DELETE_SURVIVOR = 'DELETE_SURVIVOR',
}
