import { useState } from 'react';
import { useMutation } from 'urql';
import {
  OperatorUpdateFieldMappingDocument,
  OperatorUpdateTableMappingDocument,
  type ConflictResolution,
  type DeletionConflictResolution,
  type FieldTransformation,
  type OperatorFieldMappingFragment,
  type OperatorTableMappingFragment,
  type SyncDirection,
  type UpdateFieldMappingInput,
  type UpdateTableMappingInput,
} from '../../api/generated/operations';
import { directionLabel } from '../../api/job-progress';
import { ApiError } from '../components/api-error';
import { filterToText, textToFilter } from '../filter-text';
import { useCan } from '../session';
import { useTableMappings } from '../use-table-mappings';

const UPDATE_CONFLICT: ConflictResolution[] = ['NONE', 'ERP_WINS', 'CRM_WINS'];
const DELETION_CONFLICT: DeletionConflictResolution[] = ['NONE', 'RESTORE', 'REMOVE_COUPLING'];
const DIRECTIONS: SyncDirection[] = ['TO_CRM', 'FROM_CRM', 'BIDIRECTIONAL'];
const TRANSFORMATIONS: FieldTransformation[] = ['NONE', 'TRUNCATE', 'COUPLING', 'OPTION'];

/** Integration Table Mappings: each setting saved on its own, the gateway's refusal shown beside it. */
export function MappingsPage() {
  const { mappings } = useTableMappings();
  const [chosen, setChosen] = useState<string | null>(null);
  const mapping = mappings.find((m) => m.name === chosen) ?? mappings[0];
  return (
    <div className="split mappings">
      <section className="card" aria-label="Table mappings">
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Mapping</th>
                <th>Direction</th>
                <th className="num">Coupled</th>
                <th className="num">Errors</th>
              </tr>
            </thead>
            <tbody>
              {mappings.map((m) => (
                <tr key={m.name} className={m === mapping ? 'selected' : undefined} onClick={() => setChosen(m.name)}>
                  <td>
                    <button type="button" className="link" onClick={() => setChosen(m.name)}>
                      {m.name}
                    </button>
                  </td>
                  <td className="small">{directionLabel(m.direction)}</td>
                  <td className="num">{m.couplingCount}</td>
                  <td className="num">{m.errorCount + m.skippedCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {mapping && <TableMappingCard key={mapping.name} mapping={mapping} />}
    </div>
  );
}

function TableMappingCard({ mapping }: { mapping: OperatorTableMappingFragment }) {
  const can = useCan();
  const editable = can('updateTableMapping');
  return (
    <section className="card" aria-label={`Mapping ${mapping.name}`}>
      <h2>{mapping.name}</h2>
      <p className="muted small">
        ERP {mapping.erpTable} ⇄ CRM {mapping.crmTable} · after {mapping.dependsOn.join(', ') || 'nothing'} · changed {new Date(mapping.modifiedAt).toLocaleString()} by{' '}
        {mapping.modifiedBy}
      </p>
      <div className="settings">
        <TableSetting
          mapping={mapping}
          label="Direction"
          editable={editable}
          value={mapping.direction}
          options={mapping.allowedDirections}
          change={(v) => ({ direction: v as SyncDirection })}
        />
        <TableSetting
          mapping={mapping}
          label="Update conflicts"
          editable={editable}
          value={mapping.updateConflictResolution}
          options={UPDATE_CONFLICT}
          change={(v) => ({ updateConflictResolution: v as ConflictResolution })}
        />
        <TableSetting
          mapping={mapping}
          label="Deletion conflicts"
          editable={editable}
          value={mapping.deletionConflictResolution}
          options={DELETION_CONFLICT}
          change={(v) => ({ deletionConflictResolution: v as DeletionConflictResolution })}
        />
        <TableSetting
          mapping={mapping}
          label="Only coupled records"
          editable={editable}
          value={String(mapping.syncOnlyCoupledRecords)}
          options={['true', 'false']}
          change={(v) => ({ syncOnlyCoupledRecords: v === 'true' })}
        />
        <TableSetting
          mapping={mapping}
          label="Schedule (seconds between incremental runs)"
          editable={editable}
          value={String(mapping.incrementalIntervalSeconds)}
          change={(v) => ({ incrementalIntervalSeconds: Number(v) })}
        />
        <FilterSetting mapping={mapping} side="erpFilter" label="ERP filter" editable={editable} />
        <FilterSetting mapping={mapping} side="crmFilter" label="CRM filter" editable={editable} />
      </div>
      <h3>Field mappings</h3>
      <div className="table-wrap">
        <table className="fields">
          <thead>
            <tr>
              <th>ERP field</th>
              <th>CRM field</th>
              <th>Direction</th>
              <th>Enabled</th>
              <th>Transformation</th>
              <th>Constant</th>
            </tr>
          </thead>
          <tbody>
            {mapping.fieldMappings.map((field) => (
              <FieldMappingRow key={field.id} field={field} editable={can('updateFieldMapping')} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One setting of a table mapping: a select (with options) or a text input, saved when it changes. */
function TableSetting(props: {
  mapping: OperatorTableMappingFragment;
  label: string;
  editable: boolean;
  value: string;
  options?: readonly string[];
  change: (value: string) => UpdateTableMappingInput;
}) {
  const [state, update] = useMutation(OperatorUpdateTableMappingDocument);
  const [draft, setDraft] = useState(props.value);
  const save = (value: string) => void update({ name: props.mapping.name, input: props.change(value) });
  return (
    <label className="setting">
      {props.label}
      {!props.editable ? (
        <span className="value">{props.value.replace(/_/g, ' ').toLowerCase()}</span>
      ) : props.options ? (
        <select aria-label={props.label} value={props.value} disabled={state.fetching} onChange={(e) => save(e.target.value)}>
          {props.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : (
        <span className="inline">
          <input aria-label={props.label} value={draft} onChange={(e) => setDraft(e.target.value)} inputMode="numeric" />
          <button type="button" className="secondary small" disabled={state.fetching || draft === props.value} onClick={() => save(draft)}>
            Save
          </button>
        </span>
      )}
      <ApiError error={state.error} />
    </label>
  );
}

function FilterSetting({ mapping, side, label, editable }: { mapping: OperatorTableMappingFragment; side: 'erpFilter' | 'crmFilter'; label: string; editable: boolean }) {
  const current = filterToText(mapping[side]);
  const [draft, setDraft] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  const [state, update] = useMutation(OperatorUpdateTableMappingDocument);
  const save = () => {
    const parsed = textToFilter(draft);
    setProblem(parsed.problem);
    if (!parsed.problem) void update({ name: mapping.name, input: { [side]: parsed.conditions } });
  };
  return (
    <label className="setting wide">
      {label}
      {editable ? (
        <>
          <textarea rows={Math.max(2, draft.split('\n').length)} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="no filter" />
          <button type="button" className="secondary small" disabled={state.fetching || draft === current} onClick={save}>
            Save filter
          </button>
        </>
      ) : (
        <pre className="value">{current || 'no filter'}</pre>
      )}
      <ApiError error={problem ?? state.error} />
    </label>
  );
}

function FieldMappingRow({ field, editable }: { field: OperatorFieldMappingFragment; editable: boolean }) {
  const [state, update] = useMutation(OperatorUpdateFieldMappingDocument);
  const [constant, setConstant] = useState(field.constantValue ?? '');
  const save = (input: UpdateFieldMappingInput) => void update({ id: field.id, input });
  return (
    <>
      <tr className={field.enabled ? undefined : 'disabled'}>
        <td>{field.erpField ?? <em>constant</em>}</td>
        <td>{field.crmField}</td>
        <td>
          {editable ? (
            <select
              aria-label={`${field.crmField} direction`}
              value={field.direction}
              disabled={state.fetching}
              onChange={(e) => save({ direction: e.target.value as SyncDirection })}
            >
              {DIRECTIONS.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          ) : (
            directionLabel(field.direction)
          )}
        </td>
        <td>
          <input
            type="checkbox"
            aria-label={`${field.crmField} enabled`}
            checked={field.enabled}
            disabled={!editable || state.fetching}
            onChange={(e) => save({ enabled: e.target.checked })}
          />
        </td>
        <td>
          {editable ? (
            <select
              aria-label={`${field.crmField} transformation`}
              value={field.transformation}
              disabled={state.fetching}
              onChange={(e) => save({ transformation: e.target.value as FieldTransformation })}
            >
              {TRANSFORMATIONS.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          ) : (
            field.transformation.toLowerCase()
          )}
        </td>
        <td>
          {editable ? (
            <span className="inline">
              <input aria-label={`${field.crmField} constant`} value={constant} onChange={(e) => setConstant(e.target.value)} />
              <button
                type="button"
                className="secondary small"
                disabled={state.fetching || constant === (field.constantValue ?? '')}
                onClick={() => save({ constantValue: constant === '' ? null : constant })}
              >
                Save
              </button>
            </span>
          ) : (
            (field.constantValue ?? '')
          )}
        </td>
      </tr>
      {state.error && (
        <tr className="row-error">
          <td colSpan={6}>
            <ApiError error={state.error} />
          </td>
        </tr>
      )}
    </>
  );
}
