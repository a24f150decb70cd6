import type { Pool } from 'pg';
import { withHeldConnection } from '../../db/held-connection';
import { unifiedType, type UnifiedType } from '../unified-types';
import { compiledRelations } from './compiled-relations';
import type { ReadStatements } from './read-statement';
import { literal } from './response-text';

/** What a write to the links of reference targets announces (see the ResolvedReferences migration). */
const LINKS = 'integration.integration_record';

/** The types a compiled page refers to by one reference (a customer's salesperson, its currency). */
export const referenceTargets: readonly UnifiedType[] = [
  ...new Set(Object.values(compiledRelations).flatMap((relations) => Object.values(relations ?? {}).flatMap((relation) => (relation.kind === 'one' ? [relation.target] : [])))),
].map((name) => unifiedType(name)!);

/** The write counts of `type`'s tables and links (see target-versions.sql.ts) in the reading snapshot. */
const versions = (type: UnifiedType) => ({
  erp: `(SELECT v.version FROM erp.target_table_version v WHERE v.table_name = ${literal(type.erpTable)})`,
  crm: `(SELECT v.version FROM crm.target_table_version v WHERE v.table_name = ${literal(type.crmTable)})`,
  link: `(SELECT v.version FROM integration.target_link_version v WHERE v.mapping_name = ${literal(type.mappingName)})`,
});

/**
 * Whether `type`'s references were resolved at the write counts its tables and links stand at in
 * the reading snapshot, and so are what the statement would resolve itself (NULL when never).
 */
export function resolvedReferencesCurrent(type: UnifiedType): string {
  const current = versions(type);
  return `(SELECT s.erp_version = ${current.erp} AND s.crm_version = ${current.crm} AND s.link_version = ${current.link}
      FROM integration.resolved_reference_state s WHERE s.target_type = ${literal(type.typeName)})`;
}

/**
 * Keeps the references to each target type resolved on the write side: when a write to the type's
 * tables or links has moved their counts, its references are resolved again, all at once (the
 * target tables are small), with the counts read in the same snapshot. Several processes may run
 * this at once: they take turns per type, each resolving from a later snapshot than the last.
 */
export class ResolvedReferences {
  /** The mappings of the target types: a change to their tables may leave the resolution stale. */
  private readonly mappings: ReadonlySet<string> = new Set(referenceTargets.map((type) => type.mappingName));

  constructor(
    private readonly pool: Pool,
    private readonly statements: ReadStatements,
  ) {}

  /**
   * Whether a change announced for `table` (`schema.table`; null after a lost connection, when
   * anything may have changed), which concerns `mappings`, may have left a resolution stale.
   */
  staledBy(table: string | null, mappings: readonly string[]): boolean {
    return table === null || table === LINKS || mappings.some((mapping) => this.mappings.has(mapping));
  }

  /** Resolves the references of every type whose resolution no longer stands; returns those types. */
  async refreshStale(): Promise<string[]> {
    const checks = referenceTargets.map((type) => `SELECT ${literal(type.typeName)} AS type, ${resolvedReferencesCurrent(type)} AS current`);
    const { rows } = await this.pool.query<{ type: string; current: boolean | null }>(checks.join(' UNION ALL '));
    const stale = rows.filter((row) => row.current !== true).map((row) => row.type);
    for (const name of stale) await this.resolve(unifiedType(name)!);
    return stale;
  }

  private async resolve(type: UnifiedType): Promise<void> {
    await withHeldConnection(this.pool, async (client) => {
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`resolved_reference:${type.typeName}`]);
        await client.query('DELETE FROM integration.resolved_reference WHERE target_type = $1', [type.typeName]);
        const current = versions(type);
        await client.query(
          `WITH resolved AS (
             INSERT INTO integration.resolved_reference (target_type, by_code, ref, link, erp, crm)
             SELECT $1, r.* FROM (${this.statements.resolvedReferences(type)}) r RETURNING 1)
           INSERT INTO integration.resolved_reference_state (target_type, erp_version, crm_version, link_version)
           SELECT $1, ${current.erp}, ${current.crm}, ${current.link} FROM (SELECT count(*) FROM resolved) written
           ON CONFLICT (target_type) DO UPDATE SET erp_version = EXCLUDED.erp_version, crm_version = EXCLUDED.crm_version, link_version = EXCLUDED.link_version`,
          [type.typeName],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }
}
