import { percent } from '../../api/job-progress';

/** A labelled bar: what it measures, how far (0 to 1), and the figures beside it. */
export function ProgressBar({ label, fraction, detail, status }: { label: string; fraction: number; detail?: string; status?: string }) {
  const value = Math.round(fraction * 100);
  return (
    <div className={`progress ${status ? `status-${status.toLowerCase()}` : ''}`}>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} className="bar">
        <span style={{ width: `${value}%` }} />
      </div>
      <span className="figures">
        {percent(fraction)}
        {detail ? ` · ${detail}` : ''}
      </span>
    </div>
  );
}
