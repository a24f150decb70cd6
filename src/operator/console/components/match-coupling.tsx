import { useState } from 'react';
import { useMutation } from 'urql';
import { OperatorCoupleByMatchDocument, type CoupleByMatchInput, type OperatorCoupleByMatchMutation, type OperatorJobFragment } from '../../api/generated/operations';
import { jobOutcome } from '../../api/job-progress';
import { useFollowedJobs } from '../use-followed-jobs';
import { useRecordLabels } from '../use-record-labels';
import { useTableMappings } from '../use-table-mappings';
import { ApiError } from './api-error';

type MatchResult = OperatorCoupleByMatchMutation['coupleByMatch'];

/** "Field sets, one per line, fields by commas": no | name, email → [["no"], ["name", "email"]]. */
const criteriaOf = (text: string): string[][] =>
  text
    .split(/[\n|]/)
    .map((line) =>
      line
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean),
    )
    .filter((set) => set.length > 0);

/**
 * Match-based coupling: the dry run's counts and samples come first, and the same settings can
 * then be applied; changing a setting asks for a new dry run. `onChanged` is called once the
 * couplings are written and again as each of their synchronisations ends.
 */
export function MatchCoupling({ onChanged }: { onChanged: () => void }) {
  const { mappings } = useTableMappings();
  const [mapping, setMapping] = useState('CUSTOMER');
  const [criteria, setCriteria] = useState('');
  const [createIfNoMatch, setCreate] = useState(false);
  const [syncAfterCoupling, setSync] = useState(false);
  const [preview, setPreview] = useState<{ input: string; mapping: string; result: MatchResult } | null>(null);
  const [applied, setApplied] = useState<{ mapping: string; result: MatchResult } | null>(null);
  const [state, coupleByMatch] = useMutation(OperatorCoupleByMatchDocument);
  const { jobs, follow } = useFollowedJobs(onChanged);
  const parsed = criteriaOf(criteria);
  const input: CoupleByMatchInput = { mapping, createIfNoMatch, syncAfterCoupling, ...(parsed.length > 0 ? { criteria: parsed } : {}) };
  const key = JSON.stringify(input);
  const run = async (dryRun: boolean) => {
    const result = await coupleByMatch({ input: { ...input, dryRun } });
    if (!result.data) return;
    if (dryRun) {
      setPreview({ input: key, mapping, result: result.data.coupleByMatch });
      setApplied(null);
    } else {
      setApplied({ mapping, result: result.data.coupleByMatch });
      setPreview(null);
      follow(result.data.coupleByMatch.syncJobs);
      onChanged();
    }
  };

  return (
    <section className="card" aria-label="Match-based coupling">
      <h2>Match-based coupling</h2>
      <div className="filters">
        <label>
          Mapping
          <select value={mapping} onChange={(e) => setMapping(e.target.value)}>
            {mappings.map((m) => (
              <option key={m.name}>{m.name}</option>
            ))}
          </select>
        </label>
        <label>
          Match on (field sets by priority, e.g. <code>no | name, email</code>)
          <input value={criteria} onChange={(e) => setCriteria(e.target.value)} placeholder="the mapping's match fields" />
        </label>
        <label className="check">
          <input type="checkbox" checked={createIfNoMatch} onChange={(e) => setCreate(e.target.checked)} /> create when nothing matches
        </label>
        <label className="check">
          <input type="checkbox" checked={syncAfterCoupling} onChange={(e) => setSync(e.target.checked)} /> synchronise new couplings
        </label>
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={state.fetching} onClick={() => void run(true)}>
          Dry run
        </button>
        <button type="button" disabled={state.fetching || preview?.input !== key} title="Run the dry run with these settings first" onClick={() => void run(false)}>
          Couple
        </button>
      </div>
      <ApiError error={state.error} />
      {preview && <MatchOutcome title="Dry run: nothing was written" mapping={preview.mapping} result={preview.result} syncJobs={preview.result.syncJobs} />}
      {applied && <MatchOutcome title="Coupled" mapping={applied.mapping} result={applied.result} syncJobs={jobs ?? applied.result.syncJobs} />}
    </section>
  );
}

function MatchOutcome({ title, mapping, result, syncJobs }: { title: string; mapping: string; result: MatchResult; syncJobs: OperatorJobFragment[] }) {
  const { counts } = result;
  const name = useRecordLabels(mapping, [...new Set(result.samples.flatMap((s) => [...(s.erpRecordId ? [s.erpRecordId] : []), ...s.crmRecordIds]))]);
  return (
    <div className="match-outcome" role="status">
      <h3>{title}</h3>
      <p>
        {counts.coupled} coupled · {counts.created} created · {counts.noMatch} without a match · {counts.ambiguous} ambiguous · {counts.alreadyCoupled} already coupled
      </p>
      {result.samples.length > 0 && (
        <ul className="small">
          {result.samples.map((sample, index) => (
            <li key={index}>
              {sample.kind.toLowerCase().replace('_', ' ')}: {sample.erpRecordId ? name(sample.erpRecordId) : '—'} → {sample.crmRecordIds.map(name).join(', ') || '—'}
              {sample.criteria ? ` (on ${sample.criteria.join(', ')})` : ''}
            </li>
          ))}
        </ul>
      )}
      {syncJobs.map((job) => (
        <p key={job.id} className="small">
          {jobOutcome(job)}
        </p>
      ))}
    </div>
  );
}
