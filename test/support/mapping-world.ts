import fc from 'fast-check';

/*
 * Small random worlds over any synchronised mapping: what happened to a few of its coupled pairs
 * since their last synchronisation (fields edited on either side, by a user or by the engine's own
 * account, a side deleted), records new on either side, and the mapping's settings for the run.
 * Pairs, fields and records are picked by index (modulo what the mapping has), so one world
 * shape fits every mapping.
 */

export type Side = 'erp' | 'crm';

export interface FieldEdit {
  /** Index into the mapping's copied fields. */
  readonly field: number;
  /** The field cleared rather than given a new value (where both systems allow it). */
  readonly cleared: boolean;
}

export interface PairChange {
  /** Index into the mapping's coupled pairs. */
  readonly pair: number;
  readonly erpEdit: readonly FieldEdit[];
  readonly crmEdit: readonly FieldEdit[];
  /** Both sides' edits of the same field give it the same value. */
  readonly sameValues: boolean;
  /** The ERP edit is stamped by the engine's ERP account, so it is the engine's own. */
  readonly erpEditByEngine: boolean;
  /** The CRM edit is the integration user's, so it is the engine's own. */
  readonly crmEditByIntegrationUser: boolean;
  /** Whether the coupling keeps its fields' last synchronised values (else it was synchronised before they were kept). */
  readonly keepsValues: boolean;
  readonly deleted: Side | null;
}

export interface NewRecord {
  /** Index into the mapping's coupled records on that side: the new one copies its references and settings. */
  readonly like: number;
  /** Written by the CRM's integration user (a CRM record only). */
  readonly byIntegrationUser: boolean;
}

export interface MappingWorld {
  readonly mapping: string;
  readonly changes: readonly PairChange[];
  readonly newErp: readonly NewRecord[];
  readonly newCrm: readonly NewRecord[];
  readonly fullRun: boolean;
  readonly syncOnlyCoupledRecords: boolean;
  readonly conflictPolicy: 'NONE' | 'ERP_WINS' | 'CRM_WINS';
  readonly deletionPolicy: 'NONE' | 'REMOVE_COUPLING' | 'RESTORE';
}

const index = fc.nat({ max: 1_000 });
const edit: fc.Arbitrary<readonly FieldEdit[]> = fc.array(fc.record({ field: index, cleared: fc.integer({ min: 0, max: 5 }).map((n) => n === 0) }), { maxLength: 4 });
const sometimes = (outOf: number) => fc.integer({ min: 1, max: outOf }).map((n) => n === 1);

export function mappingWorlds(mappings: readonly string[]): fc.Arbitrary<MappingWorld> {
  const change: fc.Arbitrary<PairChange> = fc.record({
    pair: index,
    erpEdit: edit,
    crmEdit: edit,
    sameValues: sometimes(4),
    erpEditByEngine: sometimes(6),
    crmEditByIntegrationUser: sometimes(4),
    keepsValues: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    deleted: fc.integer({ min: 0, max: 9 }).map((n): Side | null => (n === 0 ? 'erp' : n === 1 ? 'crm' : null)),
  });
  const newRecord = fc.record({ like: index, byIntegrationUser: sometimes(4) });
  return fc.record({
    mapping: fc.constantFrom(...mappings),
    changes: fc.array(change, { maxLength: 4 }),
    newErp: fc.array(newRecord, { maxLength: 2 }),
    newCrm: fc.array(newRecord, { maxLength: 2 }),
    fullRun: fc.boolean(),
    syncOnlyCoupledRecords: fc.boolean(),
    conflictPolicy: fc.constantFrom<MappingWorld['conflictPolicy']>('NONE', 'ERP_WINS', 'CRM_WINS'),
    deletionPolicy: fc.constantFrom<MappingWorld['deletionPolicy']>('NONE', 'REMOVE_COUPLING', 'RESTORE'),
  });
}
