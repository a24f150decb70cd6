import type { DataSource } from 'typeorm';
import { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { badInput } from '../errors/domain-error';
import { decodeCursor, encodeCursor } from '../paging/page-cursor';
import { FieldWriteReason } from '../sync/field-lineage';
import { decodeUnifiedId } from '../unify/unified-id';
import { unifiedType } from '../unify/unified-types';

/** One value the engine wrote into one field of a record. */
export interface FieldHistoryEntry {
  readonly at: Date;
  readonly mappingName: string;
  /** The field written, as the system written names it. */
  readonly field: string;
  /** TO_CRM: written into the CRM record; FROM_CRM: into the ERP record. */
  readonly direction: 'TO_CRM' | 'FROM_CRM';
  /** Values as JSON; null before a record the engine created. */
  readonly oldValue: string;
  readonly newValue: string;
  readonly reason: FieldWriteReason;
  readonly jobId: string | null;
  readonly erpKey: string;
  readonly crmKey: string;
}

export interface FieldHistoryPage {
  readonly entries: readonly FieldHistoryEntry[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
  /** Counts every matching entry; a separate statement, run only when asked for. */
  readonly totalCount: () => Promise<number>;
}

const MAX_PAGE_SIZE = 1_000;

interface Row {
  id: string;
  /** The write's place in its chunk's row (1-based). */
  n: string;
  at: Date;
  mapping_name: string;
  field: string;
  direction: 'TO_CRM' | 'FROM_CRM';
  old_value: string;
  new_value: string;
  reason: FieldWriteReason;
  job_id: string | null;
  erp_id: string;
  crm_id: string;
}

/**
 * A record's field lineage: every value the engine wrote into it (either side of the pair), newest
 * first, field by field, from the row each synchronised chunk recorded with its couplings (its
 * writes as a JSON array, the keys of each side in an array aligned with it). A write's time is
 * its row's unless it has its own, and a value's reason the rule unless it names one.
 */
export class FieldHistoryService {
  constructor(private readonly integration: DataSource) {}

  /** `field` may name the ERP or the CRM field of a mapped pair; both sides' writes of it are listed. */
  async page(recordId: string, field: string | null, first: number, after: string | null): Promise<FieldHistoryPage> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
    const where = await this.conditions(recordId, field);
    const parameters = [...where.parameters];
    let position = '';
    if (after) {
      // Newest (last recorded) first: chunks, then a chunk's writes, last first; a write's fields in name order.
      const [id, n, key] = decodeCursor(after, 3, ([id, n]) => /^\d{1,18}$/.test(id!) && /^\d{1,9}$/.test(n!));
      parameters.push(id, n, key);
      const last = parameters.length;
      position = ` AND (l.id < $${last - 2}::bigint OR (l.id = $${last - 2}::bigint AND (w.n < $${last - 1}::int OR (w.n = $${last - 1}::int AND c.key > $${last}))))`;
    }
    parameters.push(first + 1);
    const rows: Row[] = await this.integration.query(
      `SELECT l.id::text AS id, w.n::text AS n, coalesce((w.write ->> 'a')::timestamptz, l.at) AS at, l.mapping_name, c.key AS field, w.write ->> 'd' AS direction,
              (c.value -> 0)::text AS old_value, (c.value -> 1)::text AS new_value, coalesce(c.value ->> 2, '${FieldWriteReason.RULE}') AS reason, l.job_id,
              l.erp_ids[w.n]::text AS erp_id, l.crm_ids[w.n]::text AS crm_id
         ${where.sql}${position}
        ORDER BY l.id DESC, w.n DESC, c.key
        LIMIT $${parameters.length}`,
      parameters,
    );
    const page = rows.slice(0, first);
    return {
      entries: page.map((row) => ({
        at: row.at,
        mappingName: row.mapping_name,
        field: row.field,
        direction: row.direction,
        oldValue: row.old_value,
        newValue: row.new_value,
        reason: row.reason,
        jobId: row.job_id,
        erpKey: row.erp_id,
        crmKey: row.crm_id,
      })),
      cursors: page.map((row) => encodeCursor(row.id, row.n, row.field)),
      hasNextPage: rows.length > first,
      totalCount: async () => {
        const [{ count }] = await this.integration.query(`SELECT count(*)::int AS count ${where.sql}`, where.parameters);
        return count as number;
      },
    };
  }

  /**
   * The FROM and WHERE of the record's writes, field by field: the chunks holding its key (on the
   * side its id names), each write of it there, and the field's names on both sides. A write's
   * fields are its `x` entries and, for a created record, the written side's value of each field
   * its chunk's recipe for the direction names in the coupling's synchronised values it carries
   * (`s`), when not null.
   */
  private async conditions(recordId: string, field: string | null): Promise<{ sql: string; parameters: unknown[] }> {
    const { typeName, system, key } = decodeUnifiedId(recordId);
    const type = unifiedType(typeName);
    if (!type) throw badInput(`"${recordId}" is not the id of a synchronised record`, { argument: 'recordId' });
    const parameters: unknown[] = [type.mappingName, key];
    const keys = system === 'erp' ? 'l.erp_ids' : 'l.crm_ids';
    let sql = `FROM integration.field_lineage l
         CROSS JOIN LATERAL (SELECT n, l.writes::json -> (n - 1) AS write FROM generate_subscripts(${keys}, 1) AS n WHERE ${keys}[n] = $2::uuid) w
         CROSS JOIN LATERAL (SELECT CASE w.write ->> 'd' WHEN 'TO_CRM' THEN 1 ELSE 0 END AS side) d
         CROSS JOIN LATERAL (
           SELECT f.key, f.value FROM json_each(w.write -> 'x') f
           UNION ALL
           SELECT k.value ->> 0, json_build_array(NULL, s.value -> d.side, k.value -> 1)
             FROM json_each(CASE WHEN w.write -> 's' IS NOT NULL THEN l.recipes::json -> (w.write ->> 'd') END) k JOIN json_each(w.write -> 's') s ON s.key = k.key
            WHERE json_typeof(s.value -> d.side) <> 'null') c
        WHERE l.mapping_name = $1 AND ${keys} @> ARRAY[$2::uuid]`;
    if (field !== null) {
      const mapped = await this.integration.getRepository(FieldMapping).find({
        where: [
          { tableMappingName: type.mappingName, erpField: field },
          { tableMappingName: type.mappingName, crmField: field },
        ],
      });
      const names = [...new Set([field, ...mapped.flatMap((mapping) => [mapping.erpField, mapping.crmField]).filter((name): name is string => name !== null)])];
      parameters.push(names);
      sql += ` AND c.key = ANY($3)`;
    }
    return { sql, parameters };
  }
}
