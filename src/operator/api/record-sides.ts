import type { OperatorCouplingFragment, OperatorFieldMappingFragment } from './generated/operations';
import { TYPE_OF_MAPPING } from './record-types';
import type { SchemaFeatures } from './schema-features';

/** One mapped field of a record, both sides' values next to each other. */
export interface SideBySideField {
  readonly fieldMappingId: string;
  readonly erpField: string | null;
  readonly crmField: string;
  readonly erpValue: unknown;
  readonly crmValue: unknown;
  /** Whether the values disagree; null when they cannot be compared as they are (a reference, an option, a constant). */
  readonly differs: boolean | null;
  readonly direction: string;
}

export interface RecordSides {
  readonly id: string;
  readonly typeName: string;
  readonly syncState: string | null;
  readonly coupling: OperatorCouplingFragment | null;
  readonly erp: Record<string, unknown> | null;
  readonly crm: Record<string, unknown> | null;
  readonly fields: SideBySideField[];
}

const SIDE_KEYS = { erp: ['systemId', 'no', 'code', 'modifiedAt', 'modifiedBy'], crm: ['id', 'modifiedAt', 'modifiedBy'] } as const;

/**
 * The query reading one record of a mapping with the fields its field mappings move, on both
 * sides: built from the mapping and the schema, since each type's sides have fields of their own.
 */
export function recordSidesQuery(features: SchemaFeatures, mappingName: string, fieldMappings: readonly OperatorFieldMappingFragment[]): string | null {
  const typeName = TYPE_OF_MAPPING[mappingName];
  if (!typeName || !features.objectType(typeName)) return null;
  const side = (name: 'erp' | 'crm') => {
    const wanted = [...SIDE_KEYS[name], ...fieldMappings.flatMap((f) => (name === 'erp' ? (f.erpField ? [f.erpField] : []) : [f.crmField]))];
    const fields = features.leafFields(features.fieldObjectType(typeName, name), wanted);
    return fields.length > 0 ? `${name} { ${fields.join(' ')} }` : '';
  };
  return `query OperatorRecordSides($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on ${typeName} {
      syncState
      coupling { erpId crmId coupledAt lastSyncedAt lastResult lastError }
      ${side('erp')}
      ${side('crm')}
    }
  }
}`;
}

const comparable = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'number' ? String(value) : String(value).trim());

/** Whether two sides' values of a field mapping disagree; null when a plain comparison would say nothing true. */
export function fieldDiffers(field: Pick<OperatorFieldMappingFragment, 'transformation' | 'constantValue' | 'erpField'>, erpValue: unknown, crmValue: unknown): boolean | null {
  if (field.constantValue !== null && field.constantValue !== undefined) return null;
  if (!field.erpField || (field.transformation !== 'NONE' && field.transformation !== 'TRUNCATE')) return null;
  const erp = comparable(erpValue);
  const crm = comparable(crmValue);
  if (typeof erpValue === 'number' || typeof crmValue === 'number') return Number(erp || 0) !== Number(crm || 0);
  return field.transformation === 'TRUNCATE' ? !erp.startsWith(crm) || (crm === '' && erp !== '') : erp !== crm;
}

/** A node(id:) result of recordSidesQuery, field by field. */
export function recordSidesOf(node: Record<string, unknown> | null | undefined, fieldMappings: readonly OperatorFieldMappingFragment[]): RecordSides | null {
  if (!node) return null;
  const erp = (node.erp as Record<string, unknown> | null | undefined) ?? null;
  const crm = (node.crm as Record<string, unknown> | null | undefined) ?? null;
  return {
    id: String(node.id),
    typeName: String(node.__typename),
    syncState: (node.syncState as string | undefined) ?? null,
    coupling: (node.coupling as OperatorCouplingFragment | null | undefined) ?? null,
    erp,
    crm,
    fields: fieldMappings.map((field) => {
      const erpValue = field.erpField ? erp?.[field.erpField] : field.constantValue;
      const crmValue = crm?.[field.crmField];
      return {
        fieldMappingId: field.id,
        erpField: field.erpField ?? null,
        crmField: field.crmField,
        erpValue,
        crmValue,
        differs: erp && crm ? fieldDiffers(field, erpValue, crmValue) : null,
        direction: field.direction,
      };
    }),
  };
}
