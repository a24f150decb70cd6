/** A status or state as a coloured label (job status, sync state, result, recommendation). */
export function StatusBadge({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="badge">—</span>;
  return <span className={`badge badge-${value.toLowerCase()}`}>{value.replace(/_/g, ' ').toLowerCase()}</span>;
}
