import { useState } from 'react';
import type { SyncState, UnifiedFilter } from '../../api/generated/operations';
import { ApiError } from '../components/api-error';
import { MatchCoupling } from '../components/match-coupling';
import { RecordDetail } from '../components/record-detail';
import { StatusBadge } from '../components/status-badge';
import { useCan } from '../session';
import { RECORD_KINDS, useRecordList, type RecordKind } from '../use-record-list';

const STATES: SyncState[] = ['IN_SYNC', 'PENDING', 'CONFLICT', 'FAILED', 'SKIPPED', 'UNCOUPLED'];

/** Customers, items and invoices from both systems behind one search; a record opens with both sides next to each other. */
export function RecordsPage() {
  const can = useCan();
  const [kind, setKind] = useState<RecordKind>('customers');
  const [search, setSearch] = useState('');
  const [syncState, setSyncState] = useState<SyncState | ''>('');
  const [openId, setOpenId] = useState<string | null>(null);
  const filter: UnifiedFilter = { ...(search.trim() ? { search: search.trim() } : {}), ...(syncState ? { syncState } : {}) };
  const list = useRecordList(kind, filter);
  const open = list.rows.find((row) => row.id === openId) ?? null;

  return (
    <>
      <section className="card filters" aria-label="Search">
        <label>
          Records
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as RecordKind);
              setOpenId(null);
            }}
          >
            {Object.entries(RECORD_KINDS).map(([value, { title }]) => (
              <option key={value} value={value}>
                {title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="number or name" />
        </label>
        <label>
          Sync state
          <select value={syncState} onChange={(e) => setSyncState(e.target.value as SyncState | '')}>
            <option value="">All</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </section>

      <div className="split">
        <section className="card" aria-label="Results">
          <h2>
            {list.rows.length} of {list.totalCount}
          </h2>
          <ApiError error={list.error} />
          <div className="table-wrap">
            <table className="records">
              <thead>
                <tr>
                  <th>No.</th>
                  <th>Name</th>
                  <th>Sides</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((row) => (
                  <tr key={row.id} className={row.id === openId ? 'selected' : undefined} onClick={() => setOpenId(row.id)}>
                    <td>
                      <button type="button" className="link" onClick={() => setOpenId(row.id)}>
                        {row.number ?? '—'}
                      </button>
                    </td>
                    <td>{row.name ?? ''}</td>
                    <td className="small">{[row.erp && 'ERP', row.crm && 'CRM'].filter(Boolean).join(' + ')}</td>
                    <td>
                      <StatusBadge value={row.syncState} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        {open && <RecordDetail kind={kind} row={open} onChanged={list.refresh} onClose={() => setOpenId(null)} />}
      </div>

      {can('coupleByMatch') && <MatchCoupling onChanged={list.refresh} />}
    </>
  );
}
