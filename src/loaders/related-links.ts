import { referenceEntries } from '../../entities/integration/record-references';

/**
 * How a page's statement finds, in the index, the links of the related records a selection names,
 * by the references the index keeps (entities/integration/record-references.ts). `from` is the
 * lookup whose links refer (-1: the page's own).
 */
export type RelatedLinks =
  | {
      readonly kind: 'one';
      readonly from: number;
      readonly mappingName: string;
      /** The referring ERP side's field holding the target's code, the CRM side's holding its key. */
      readonly erpRef: string;
      readonly crmRef: string;
    }
  | {
      readonly kind: 'many';
      readonly from: number;
      readonly mappingName: string;
      /**
       * The related ERP records' field holding the referring record's code, and the field of an
       * intermediate record of the same mapping in between (a customer's company contact); null
       * when the ERP side is not found by codes.
       */
      readonly erp: { readonly field: string; readonly through: string | null } | null;
      /** The related CRM records' field holding the referring record's key. */
      readonly crm: string;
    };

/** The name of a lookup's rows in the page's statement. */
export const relatedRows = (lookup: number): string => (lookup < 0 ? 'page_rows' : `related_${lookup}`);

/**
 * The common table expression of each lookup, after `page_rows`; `parameter` adds a value to the
 * statement's parameters and gives its placeholder. Each finds its rows through an index: the
 * targets of references by code or key, the records referring to given values by the GIN indexes.
 */
export function relatedLinksSql(lookups: readonly RelatedLinks[], parameter: (value: unknown) => string): string[] {
  return lookups.map((lookup, index) => {
    const mapping = parameter(lookup.mappingName);
    const from = relatedRows(lookup.from);
    const condition = lookup.kind === 'one' ? referencedBy(lookup, from, parameter) : referringTo(lookup, from, mapping, parameter);
    return `${relatedRows(index)} AS (SELECT t.* FROM integration.integration_record t WHERE t.mapping_name = ${mapping} AND (${condition}))`;
  });
}

/** The records the referring rows' references name: by code (ERP) or by key (CRM). */
function referencedBy(lookup: Extract<RelatedLinks, { kind: 'one' }>, from: string, parameter: (value: unknown) => string): string {
  const values = (side: 'erp' | 'crm', field: string) =>
    `SELECT substr(e, ${field.length + 2}) FROM ${from} f, unnest(${referenceEntries(`f.${side}_refs`)}) e WHERE f.${side}_id IS NOT NULL AND starts_with(e, ${parameter(`${field}=`)})`;
  return `t.erp_code = ANY(ARRAY(${values('erp', lookup.erpRef)})::varchar[]) OR t.crm_id = ANY(ARRAY(${values('crm', lookup.crmRef)})::uuid[])`;
}

/** The records whose references name the referring rows: by the ERP side's code (perhaps through an intermediate record), by the CRM side's key. */
function referringTo(lookup: Extract<RelatedLinks, { kind: 'many' }>, from: string, mapping: string, parameter: (value: unknown) => string): string {
  const entries = (field: string, values: string) => `ARRAY(SELECT ${parameter(`${field}=`)}::text || v FROM (${values}) parents(v))`;
  const codes = `SELECT f.erp_code::text FROM ${from} f WHERE f.erp_id IS NOT NULL AND f.erp_code IS NOT NULL`;
  const crm = `${referenceEntries('t.crm_refs')} && ${entries(lookup.crm, `SELECT f.crm_id::text FROM ${from} f WHERE f.crm_id IS NOT NULL`)}`;
  if (!lookup.erp) return crm;
  const { field, through } = lookup.erp;
  const parents = through
    ? `SELECT i.erp_code::text FROM integration.integration_record i
        WHERE i.mapping_name = ${mapping} AND i.erp_id IS NOT NULL AND i.erp_code IS NOT NULL AND ${referenceEntries('i.erp_refs')} && ${entries(through, codes)}`
    : codes;
  return `${referenceEntries('t.erp_refs')} && ${entries(field, parents)} OR ${crm}`;
}
