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

/** One record the engine wrote: the pair's keys, the system written, when, and each field whose value changed. */
export interface RecordWrite {
  readonly erpId: string;
  readonly crmId: string;
  readonly to: SystemName;
  readonly at: Date;
  /** By the written system's field name: [value before, value written, reason], as a JSON object's text (see fieldChanges). */
  readonly changes: string;
}

/** The reason of a field the rules let flow: a transformation when the field mapping makes the value, else the rule. */
export const ruleOrTransformation = (field: FieldMapping): FieldWriteReason =>
  field.constantValue !== null || field.transformation !== FieldTransformation.NONE ? FieldWriteReason.TRANSFORMATION : FieldWriteReason.RULE;

/** What recording a write to one side needs of each field it may carry, worked out once per run's field mappings. */
interface FieldStep {
  readonly field: FieldMapping;
  readonly target: string;
  /** `"target":[` */
  readonly head: string;
  /** `]` for a field the rules let flow, or `,"TRANSFORMATION"]` (the history reads a missing reason as the rule). */
  readonly tail: string;
}

/** How a value's reason ends its entry: the rule's is left out, as most values flow by rule. */
const tailOf = (reason: FieldWriteReason) => (reason === FieldWriteReason.RULE ? ']' : `,"${reason}"]`);

const stepsOf = new WeakMap<readonly FieldMapping[], Record<SystemName, readonly FieldStep[]>>();

function steps(fields: readonly FieldMapping[], to: SystemName): readonly FieldStep[] {
  let both = stepsOf.get(fields);
  if (!both) {
    const of = (side: SystemName) =>
      fields
        .filter((field) => writtenTo(field, side))
        .map((field) => {
          const target = targetFieldOf(field, side);
          return { field, target, head: `${JSON.stringify(target)}:[`, tail: tailOf(ruleOrTransformation(field)) };
        });
    stepsOf.set(fields, (both = { crm: of('crm'), erp: of('erp') }));
  }
  return both[to];
}

/**
 * The fields a write to `to` changed, from the record as it was (null for a new one) to the record
 * as written, each with its reason (`reasonOf`, else the rules'), as the text of a JSON object
 * `{field: [before, after, reason]}`; null when none changed. Fields the write does not carry are
 * left out, so a new record's blank defaults are not counted as written; so is the reason when
 * it is the rule's. The names changed are
 * added to `names` when given.
 */
export function fieldChanges(
  fields: readonly FieldMapping[],
  to: SystemName,
  before: ObjectLiteral | null,
  after: ObjectLiteral,
  reasonOf?: (field: FieldMapping) => FieldWriteReason,
  names?: string[],
): string | null {
  // Built as text, joined once: a full synchronisation records every field of every record it creates, and text added piece by piece is dear to send.
  const parts: string[] = [];
  for (const step of steps(fields, to)) {
    const old = before === null ? null : comparable(before[step.target]);
    const value = comparable(after[step.target]);
    if (old === value) continue;
    parts.push(
      parts.length === 0 ? '{' : ',',
      step.head,
      old === null ? 'null' : JSON.stringify(old),
      ',',
      JSON.stringify(value),
      reasonOf ? tailOf(reasonOf(step.field)) : step.tail,
    );
    names?.push(step.target);
  }
  if (parts.length === 0) return null;
  parts.push('}');
  return parts.join('');
}

/** The direction of a write and the head of its changes, as the chunk's JSON writes them. */
const DIRECTION: Readonly<Record<SystemName, string>> = { crm: '"d":"TO_CRM","x":', erp: '"d":"FROM_CRM","x":' };

/**
 * The one statement that records a batch's writes in the integration store: one row for the
 * whole batch, its writes as the text of one JSON array (direction, changed fields, and the time
 * when it is not the row's) and the keys of both sides as arrays aligned with it, which the
 * history finds a record's writes and their keys by; to run in the transaction of the batch's
 * couplings. Text, not json: PostgreSQL would parse a chunk's megabyte to check what
 * JSON.stringify made (see bench/RESULTS.md, field lineage).
 */
export function lineageStatement(mappingName: string, jobId: string | null, writes: readonly RecordWrite[]): BulkStatement | null {
  if (writes.length === 0) return null;
  const at = writes[0]!.at;
  const rows: string[] = [];
  for (const write of writes) {
    rows.push(rows.length === 0 ? '[{' : ',{');
    if (write.at.getTime() !== at.getTime()) rows.push('"a":"', write.at.toISOString(), '",');
    rows.push(DIRECTION[write.to], write.changes, '}');
  }
  rows.push(']');
  return {
    sql: `INSERT INTO integration.field_lineage (at, job_id, mapping_name, erp_ids, crm_ids, writes) VALUES ($1, $2, $3, $4::uuid[], $5::uuid[], $6)`,
    parameters: [at, jobId, mappingName, `{${writes.map((write) => write.erpId).join(',')}}`, `{${writes.map((write) => write.crmId).join(',')}}`, rows.join('')],
  };
}
