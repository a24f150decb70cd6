import type { ObjectLiteral } from 'typeorm';
import { FieldTransformation, type FieldMapping } from '../../entities/integration/field-mapping.entity';
import type { SystemName } from '../connectors/system-connector';
import type { BulkStatement } from '../db/bulk-insert';
import { comparable } from './field-merge';
import { targetFieldOf, writtenTo } from './field-transformer';

/** Why the engine wrote a field's value. */
export enum FieldWriteReason {
  /** The mapping's rules: the field changed on one side (or the record is new) and flows to the other. */
  RULE = 'RULE',
  /** Changed on both sides; the mapping's conflict policy (ERP_WINS, CRM_WINS) picked this side. */
  POLICY = 'POLICY',
  /** An operator's decision: a conflict resolved, or records synchronised in a chosen direction. */
  RESOLUTION = 'RESOLUTION',
  /** A value made by the field mapping rather than copied: a constant, an option, a translated reference, a cut text. */
  TRANSFORMATION = 'TRANSFORMATION',
}

/** A field's value before and after a write (as JSON values), and why it was written. */
export type FieldChange = readonly [before: unknown, after: unknown, reason: FieldWriteReason];

/** One record the engine wrote: the pair's keys, the system written, when, and each field whose value changed. */
export interface RecordWrite {
  readonly erpId: string;
  readonly crmId: string;
  readonly to: SystemName;
  readonly at: Date;
  /** By the written system's field name. */
  readonly changes: Readonly<Record<string, FieldChange>>;
}

/**
 * The fields a write to `to` changed, from the record as it was (null for a new one) to the record
 * as written, each with its reason; null when none changed. Fields the write does not carry are
 * left out, so a new record's blank defaults are not counted as written.
 */
export function fieldChanges(fields: readonly FieldMapping[], to: SystemName, before: ObjectLiteral | null, after: ObjectLiteral, reasonOf: (field: FieldMapping) => FieldWriteReason): Record<string, FieldChange> | null {
  let changes: Record<string, FieldChange> | null = null;
  for (const field of fields) {
    if (!writtenTo(field, to)) continue;
    const target = targetFieldOf(field, to);
    const old = before ? comparable(before[target]) : null;
    const value = comparable(after[target]);
    if (old === value) continue;
    changes ??= {};
    changes[target] = [old, value, reasonOf(field)];
  }
  return changes;
}

/** The reason of a field the rules let flow: a transformation when the field mapping makes the value, else the rule. */
export const ruleOrTransformation = (field: FieldMapping): FieldWriteReason =>
  field.constantValue !== null || field.transformation !== FieldTransformation.NONE ? FieldWriteReason.TRANSFORMATION : FieldWriteReason.RULE;

const DIRECTION: Readonly<Record<SystemName, string>> = { crm: 'TO_CRM', erp: 'FROM_CRM' };

/**
 * The one statement that records a batch's writes in the integration store, set-based (one row
 * per record written, its changed fields as JSON), to run in the transaction of the batch's couplings.
 */
export function lineageStatement(mappingName: string, jobId: string | null, writes: readonly RecordWrite[]): BulkStatement | null {
  if (writes.length === 0) return null;
  // A batch's writes share a handful of stamps; formatting a Date is the dear part of sending one.
  const stamps = new Map<number, string>();
  const at = writes.map((write) => {
    const time = write.at.getTime();
    let text = stamps.get(time);
    if (text === undefined) stamps.set(time, (text = write.at.toISOString()));
    return text;
  });
  return {
    sql: `INSERT INTO integration.field_lineage (at, job_id, mapping_name, erp_id, crm_id, direction, changes)
          SELECT w.at, $1, $2, w.erp_id, w.crm_id, w.direction, w.changes
            FROM unnest($3::timestamptz[], $4::uuid[], $5::uuid[], $6::varchar[], $7::json[]) AS w(at, erp_id, crm_id, direction, changes)`,
    parameters: [jobId, mappingName, at, writes.map((write) => write.erpId), writes.map((write) => write.crmId), writes.map((write) => DIRECTION[write.to]), writes.map((write) => JSON.stringify(write.changes))],
  };
}
