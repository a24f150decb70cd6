import cliProgress from 'cli-progress';
import { directionLabel, formatEta, formatRate, isFinishedStatus, jobCounters, jobFraction, percent, runLine, type LiveJob, type LiveRun } from '../api/job-progress';

const label = (job: Pick<LiveJob, 'mappingName' | 'direction'>) => `${job.mappingName ?? '?'} ${directionLabel(job.direction)}`.trim();

/** One job's figures, as a bar's suffix or a line of its own. */
export function jobLine(job: LiveJob): string {
  const total = job.estimatedTotal ?? null;
  const parts = [job.status.toLowerCase(), `${job.processed}${total !== null ? ` of ${total}` : ''}`, formatRate(job.recordsPerSecond), formatEta(job.etaSeconds)];
  if (isFinishedStatus(job.status)) parts.push(jobCounters(job));
  if (job.message) parts.push(job.message);
  return parts.filter(Boolean).join(' · ');
}

/**
 * Live progress of jobs on a terminal: a bar per job with rate and ETA (cli-progress), and an
 * overall bar for a run. Without a terminal (a pipe, CI) a line per change of status and per
 * tenth of a job, so logs stay readable.
 */
export class JobDisplay {
  private readonly multibar: cliProgress.MultiBar | null;
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private overall: cliProgress.SingleBar | null = null;
  private readonly printed = new Map<string, string>();

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly withOverall = false,
  ) {
    this.multibar = out.isTTY
      ? new cliProgress.MultiBar(
          { stream: out, format: '{label} [{bar}] {percentage}% | {line}', barsize: 24, hideCursor: true, clearOnComplete: false, autopadding: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
  }

  show(state: LiveRun, overallFraction: number): void {
    for (const job of state.jobs.values()) this.showJob(job);
    if (!this.withOverall || !state.run) return;
    const line = `${state.run.status.toLowerCase()} · ${runLine(state)}`;
    if (this.multibar) {
      this.overall ??= this.multibar.create(100, 0, { label: 'overall'.padEnd(24), line });
      this.overall.update(Math.floor(overallFraction * 100), { line });
    } else {
      this.print('overall', `overall: ${percent(overallFraction)} · ${line}`, `${state.run.status}:${Math.floor(overallFraction * 10)}`);
    }
  }

  /** Shows a job on its line; `key` keeps one line for a job shown before the gateway gave it an id. */
  showJob(job: LiveJob, key = job.id): void {
    const fraction = jobFraction(job);
    if (this.multibar) {
      const bar = this.bars.get(key) ?? this.multibar.create(100, 0, { label: label(job).padEnd(24), line: '' });
      this.bars.set(key, bar);
      bar.update(Math.floor(fraction * 100), { line: jobLine(job) });
    } else {
      this.print(key, `${label(job)}: ${percent(fraction)} · ${jobLine(job)}`, `${job.status}:${Math.floor(fraction * 10)}`);
    }
  }

  stop(): void {
    this.multibar?.stop();
  }

  /** A line when what it says has changed enough (`step`): its status, or another tenth done. */
  private print(key: string, line: string, step: string): void {
    if (this.printed.get(key) === step) return;
    this.printed.set(key, step);
    this.out.write(`${line}\n`);
  }
}
