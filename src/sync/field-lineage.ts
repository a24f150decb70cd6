import { FieldTransformation, type FieldMapping } from '../../entities/integration/field-mapping.entity';
import type { DomainRecord, SystemName } from '../connectors/system-connector';
import type { BulkStatement } from '../db/bulk-insert';
import { uuidArrayParameter } from '../db/uuid-array';
import { comparable, isMergedField } from './field-merge';
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
  /**
   * The write's fields as members of its JSON object: `"x"`, by the written system's field name
   * [value before, value written, reason] (see fieldChanges), and for a created record the fields
   * its coupling's synchronised values hold by reference (`"s"`, see createdFields).
   */
  readonly changes: string;
  /** For a write by reference, which fields of `"s"` it wrote (see createdFields); the same for every such write of a run to a side. */
  readonly recipe?: string;
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
 * as written, each with its reason (`reasonOf`, else the rules'), as the write's member
 * `"x":{field: [before, after, reason]}` (see RecordWrite.changes); null when none changed. Fields
 * the write does not carry are left out, so a new record's blank defaults are not counted as
 * written; so is the reason when it is the rule's. The names changed are added to `names` when given.
 */
export function fieldChanges(
  fields: readonly FieldMapping[],
  to: SystemName,
  before: DomainRecord | null,
  after: DomainRecord,
  reasonOf?: (field: FieldMapping) => FieldWriteReason,
  names?: string[],
): string | null {
  const changed = changedFields(steps(fields, to), before, after, reasonOf, names);
  return changed === null ? null : `"x":${changed}`;
}

/** The JSON object `{field: [before, after, reason]}` of the steps whose value changed; null when none did. */
function changedFields(
  list: readonly FieldStep[],
  before: DomainRecord | null,
  after: DomainRecord,
  reasonOf?: (field: FieldMapping) => FieldWriteReason,
  names?: string[],
): string | null {
  // Built as text, joined once: a full synchronisation records every field of every record it creates, and text added piece by piece is dear to send.
  const parts: string[] = [];
  for (const step of list) {
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

/**
 * How a create records the fields its coupling's synchronised values hold (see createdFields),
 * worked out once per run's field mappings and side; null when two of them share a CRM field,
 * which the synchronised values hold once.
 */
interface CreateRecipe {
  /** `{"crmField":["target", reason or null],…}`: the merged fields a write to the side carries, by their key in the synchronised values. */
  readonly keys: string;
  readonly merged: readonly FieldStep[];
  /** The other fields it carries (constants), recorded as fieldChanges does. */
  readonly others: readonly FieldStep[];
}

const recipesOf = new WeakMap<readonly FieldMapping[], Record<SystemName, CreateRecipe | null>>();

function recipe(fields: readonly FieldMapping[], to: SystemName): CreateRecipe | null {
  let both = recipesOf.get(fields);
  if (!both) {
    const of = (side: SystemName): CreateRecipe | null => {
      const merged = steps(fields, side).filter((step) => isMergedField(step.field));
      if (new Set(merged.map((step) => step.field.crmField)).size < merged.length) return null;
      const keys = Object.fromEntries(
        merged.map((step) => {
          const reason = ruleOrTransformation(step.field);
          return [step.field.crmField, [step.target, reason === FieldWriteReason.RULE ? null : reason]];
        }),
      );
      return { keys: JSON.stringify(keys), merged, others: steps(fields, side).filter((step) => !isMergedField(step.field)) };
    };
    recipesOf.set(fields, (both = { crm: of('crm'), erp: of('erp') }));
  }
  return both[to];
}

/**
 * The members of a write that created a record on `to` by the rules (see RecordWrite.changes),
 * and its recipe: the values of its merged fields are the coupling's synchronised values, written
 * in the same transaction, so the write carries that text (`syncedValues`, as `"s"`) rather than
 * build each value's JSON again, and its chunk names once per side which of them it wrote, under
 * which name and reason (the recipe); the history reads the written side's value of each.
 * Undefined when the run's fields do not allow it (use fieldChanges), null when the write carried
 * no value.
 */
export function createdFields(
  fields: readonly FieldMapping[],
  to: SystemName,
  after: DomainRecord,
  syncedValues: string,
): { readonly changes: string; readonly recipe: string } | null | undefined {
  const found = recipe(fields, to);
  if (!found) return undefined;
  const others = changedFields(found.others, null, after);
  if (others === null && found.merged.every((step) => comparable(after[step.target]) === null)) return null;
  return { changes: others === null ? `"s":${syncedValues}` : `"s":${syncedValues},"x":${others}`, recipe: found.keys };
}

/** The direction of a write, as the chunk's JSON writes it. */
const DIRECTION: Readonly<Record<SystemName, string>> = { crm: '"d":"TO_CRM",', erp: '"d":"FROM_CRM",' };

/**
 * The one statement that records a batch's writes in the integration store: one row for the
 * whole batch, its writes as the text of one JSON array (direction, changed fields, and the time
 * when it is not the row's), the keys of both sides as arrays aligned with it, which the history
 * finds a record's writes and their keys by, and the recipes of its writes by reference per
 * direction (see createdFields); to run in the transaction of the batch's couplings. Text, not json: PostgreSQL would parse a chunk's megabyte to check what
 * JSON.stringify made; the keys in binary, as PostgreSQL reads a uuid's text slowly (see bench/RESULTS.md, field lineage).
 */
export function lineageStatement(mappingName: string, jobId: string | null, writes: readonly RecordWrite[]): BulkStatement | null {
  if (writes.length === 0) return null;
  const at = writes[0]!.at;
  const rows: string[] = [];
  const recipes: Partial<Record<SystemName, string>> = {};
  for (const write of writes) {
    if (write.recipe !== undefined) recipes[write.to] ??= write.recipe;
    rows.push(rows.length === 0 ? '[{' : ',{');
    if (write.at.getTime() !== at.getTime()) rows.push('"a":"', write.at.toISOString(), '",');
    rows.push(DIRECTION[write.to], write.changes, '}');
  }
  rows.push(']');
  return {
    sql: `INSERT INTO integration.field_lineage (at, job_id, mapping_name, erp_ids, crm_ids, writes, recipes) VALUES ($1, $2, $3, $4::uuid[], $5::uuid[], $6, $7)`,
    parameters: [
      at,
      jobId,
      mappingName,
      uuidArrayParameter(writes.map((write) => write.erpId)),
      uuidArrayParameter(writes.map((write) => write.crmId)),
      rows.join(''),
      recipes.crm === undefined && recipes.erp === undefined
        ? null
        : `{${[recipes.crm && `"TO_CRM":${recipes.crm}`, recipes.erp && `"FROM_CRM":${recipes.erp}`].filter(Boolean).join(',')}}`,
    ],
  };
}
