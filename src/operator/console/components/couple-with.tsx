import { useState } from 'react';
import { useMutation } from 'urql';
import { OperatorCoupleDocument, type OperatorJobFragment, type SyncDirection } from '../../api/generated/operations';
import { useRecordList, type RecordKind, type RecordRow } from '../use-record-list';
import { ApiError } from './api-error';

/** Couples a record that exists on one side with an uncoupled record of the other side, found by search. */
export function CoupleWith({ kind, row, onCoupled }: { kind: RecordKind; row: RecordRow; onCoupled: (jobs: (OperatorJobFragment | null | undefined)[]) => void }) {
  const [search, setSearch] = useState(row.name ?? '');
  const [direction, setDirection] = useState<SyncDirection | ''>('');
  const candidates = useRecordList(kind, { coupled: false, ...(search.trim() ? { search: search.trim() } : {}) }, 10);
  const others = candidates.rows.filter((other) => (row.erp ? other.crm && !other.erp : other.erp && !other.crm));
  const [coupled, couple] = useMutation(OperatorCoupleDocument);

  return (
    <div className="couple-with">
      <h3>Couple with a {row.erp ? 'CRM' : 'ERP'} record</h3>
      <div className="filters">
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          Then synchronise
          <select value={direction} onChange={(e) => setDirection(e.target.value as SyncDirection | '')}>
            <option value="">no</option>
            <option value="TO_CRM">ERP → CRM</option>
            <option value="FROM_CRM">CRM → ERP</option>
          </select>
        </label>
      </div>
      <ul className="candidates">
        {others.map((other) => (
          <li key={other.id}>
            <span>
              {other.number ?? ''} {other.name ?? ''}
            </span>
            <button
              type="button"
              className="secondary small"
              onClick={async () => {
                const [erpId, crmId] = row.erp ? [row.id, other.id] : [other.id, row.id];
                const result = await couple({ erpId, crmId, syncDirection: direction || null });
                if (result.data) onCoupled([result.data.couple.job, result.data.couple.syncJob]);
              }}
            >
              Couple
            </button>
          </li>
        ))}
        {others.length === 0 && <li className="muted">No uncoupled {row.erp ? 'CRM' : 'ERP'} records found.</li>}
      </ul>
      <ApiError error={coupled.error} />
    </div>
  );
}
