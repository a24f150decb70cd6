import type { Command } from 'commander';
import { OperatorRunSyncDocument, type OperatorJobFragment } from '../../api/generated/operations';
import { mutationWithArguments } from '../../api/feature-operations';
import { isFinishedStatus, type LiveJob } from '../../api/job-progress';
import { followJob } from '../follow';
import { CliError, EXIT_FAILED } from '../gateway-connection';
import { JobDisplay, jobLine } from '../job-display';
import type { CommandContext } from './command-context';

const live = (job: OperatorJobFragment): LiveJob => ({ ...job, recordsPerSecond: null, etaSeconds: null });

export function registerSync(program: Command, context: () => CommandContext): void {
  program
    .command('sync')
    .argument('<mapping>', 'table mapping name, e.g. CUSTOMER')
    .description('synchronise one table mapping now (operator)')
    .option('--full', 'read every record (and apply the deletion policy), not only changes')
    .option('--dry-run', 'report what it would do and write nothing (when the gateway supports it)')
    .option('--follow', 'show the job live until it ends; fail when it fails')
    .action(async (mapping: string, options: { full?: boolean; dryRun?: boolean; follow?: boolean }) => {
      const { gateway, output } = context();
      const mode = options.full ? 'FULL' : 'INCREMENTAL';
      if (options.dryRun) {
        const query = mutationWithArguments(await gateway.features(), 'runSync', { mapping: 'ID!', mode: 'SyncMode!', dryRun: 'Boolean' });
        if (!query) throw new CliError('This gateway has no dry run of runSync yet');
        const data = await gateway.request<Record<string, unknown>, Record<string, unknown>>(query, { mapping, mode, dryRun: true });
        output.result(data.runSync, () => JSON.stringify(data.runSync, null, 2));
        return;
      }
      const display = options.follow && !output.json ? new JobDisplay(process.stdout) : null;
      // runSync answers once the run has finished, unless the gateway queued it; the display shows it running meanwhile.
      display?.showJob({ ...placeholder(mapping), status: 'RUNNING' }, mapping);
      let job = live((await gateway.request(OperatorRunSyncDocument, { mapping, mode })).runSync);
      if (options.follow && !isFinishedStatus(job.status)) job = await followJob(gateway, job, display, mapping);
      else display?.showJob(job, mapping);
      display?.stop();
      output.result(job, () => `${mapping}: ${jobLine(job)}`);
      if (options.follow && job.status !== 'SUCCEEDED') throw new CliError(`${mapping} ended ${job.status}${job.message ? `: ${job.message}` : ''}`, EXIT_FAILED);
    });
}

/** The job before the gateway has answered with its row. */
function placeholder(mapping: string): LiveJob {
  return {
    id: `pending-${mapping}`,
    runId: null,
    type: 'SYNC',
    mappingName: mapping,
    direction: null,
    status: 'WAITING',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    processed: 0,
    estimatedTotal: null,
    inserted: 0,
    modified: 0,
    deleted: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    conflicts: 0,
    heldAsDuplicate: 0,
    coupled: 0,
    uncoupled: 0,
    message: null,
    requestedBy: '',
    recordsPerSecond: null,
    etaSeconds: null,
  };
}
