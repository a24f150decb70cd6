import type { Command } from 'commander';
import { OperatorFullSyncRunDocument, OperatorPauseFullSyncDocument, OperatorResumeFullSyncDocument, OperatorStartFullSyncDocument } from '../../api/generated/operations';
import { mutationWithArguments } from '../../api/feature-operations';
import { directionLabel, jobCounters, liveRunOf, type LiveRun } from '../../api/job-progress';
import { followRun } from '../follow';
import { CliError, EXIT_FAILED } from '../gateway-connection';
import { JobDisplay } from '../job-display';
import { columns } from '../output';
import type { CommandContext } from './command-context';

const runSummary = (state: LiveRun): string => {
  if (!state.run) return 'No full synchronisation has run yet.';
  const header = `Full synchronisation ${state.run.id}: ${state.run.status} (started ${state.run.startedAt} by ${state.run.requestedBy}${state.run.finishedAt ? `, finished ${state.run.finishedAt}` : ''})`;
  const rows = [...state.jobs.values()].map((job) => [
    job.mappingName,
    directionLabel(job.direction),
    job.status,
    `${job.processed}${job.estimatedTotal !== null && job.estimatedTotal !== undefined ? `/${job.estimatedTotal}` : ''}`,
    jobCounters(job),
  ]);
  return [header, state.run.message ?? '', columns([['MAPPING', 'DIRECTION', 'STATUS', 'READ', 'DONE'], ...rows])].filter(Boolean).join('\n');
};

const asJson = (state: LiveRun) => (state.run ? { ...state.run, jobs: [...state.jobs.values()] } : null);

/** Shows how a run stands; a followed run that did not succeed ends the command with a failure. */
function finish(context: CommandContext, state: LiveRun, followed: boolean): void {
  context.output.result(asJson(state), () => runSummary(state));
  if (followed && state.run && state.run.status !== 'SUCCEEDED') {
    throw new CliError(`The full synchronisation ended ${state.run.status}${state.run.message ? `: ${state.run.message}` : ''}`, EXIT_FAILED);
  }
}

/** The run named, or the latest one. */
async function runIdOr(context: CommandContext, runId: string | undefined): Promise<string> {
  if (runId) return runId;
  const latest = (await context.gateway.request(OperatorFullSyncRunDocument, {})).fullSyncRun;
  if (!latest) throw new CliError('No full synchronisation has run yet');
  return latest.id;
}

export function registerFullSync(program: Command, context: () => CommandContext): void {
  const fullSync = program.command('full-sync').description('full synchronisation of every mapping, in dependency order');
  fullSync
    .command('start')
    .description('start a full synchronisation (admin)')
    .option('--follow', 'show a live progress bar per job until the run ends')
    .option('--dry-run', 'report what it would do and write nothing (when the gateway supports it)')
    .action(async (options: { follow?: boolean; dryRun?: boolean }) => {
      const { gateway, output } = context();
      if (options.dryRun) {
        const query = mutationWithArguments(await gateway.features(), 'startFullSync', { dryRun: 'Boolean' });
        if (!query) throw new CliError('This gateway has no dry run of startFullSync yet');
        const data = await gateway.request<Record<string, unknown>, { dryRun: boolean }>(query, { dryRun: true });
        output.result(data.startFullSync, () => JSON.stringify(data.startFullSync, null, 2));
        return;
      }
      const started = liveRunOf((await gateway.request(OperatorStartFullSyncDocument)).startFullSync);
      if (!options.follow) return finish(context(), started, false);
      finish(context(), await followRun(gateway, started, output.json ? null : new JobDisplay(process.stdout, true)), true);
    });
  fullSync
    .command('status')
    .description('the latest full synchronisation and its jobs')
    .option('--follow', 'follow the run under way until it ends')
    .action(async (options: { follow?: boolean }) => {
      const { gateway, output } = context();
      const latest = liveRunOf((await gateway.request(OperatorFullSyncRunDocument, {})).fullSyncRun);
      if (!options.follow || latest.run?.status !== 'RUNNING') return finish(context(), latest, false);
      finish(context(), await followRun(gateway, latest, output.json ? null : new JobDisplay(process.stdout, true)), true);
    });
  fullSync
    .command('pause')
    .argument('[runId]', 'the run (the latest when left out)')
    .description('pause a running full synchronisation: running jobs stop after their chunk (operator)')
    .action(async (runId: string | undefined) => {
      const { gateway } = context();
      const paused = (await gateway.request(OperatorPauseFullSyncDocument, { runId: await runIdOr(context(), runId) })).pauseFullSync;
      finish(context(), liveRunOf(paused), false);
    });
  fullSync
    .command('resume')
    .argument('[runId]', 'the run (the latest when left out)')
    .description('resume a paused or cancelled full synchronisation from where its jobs stopped (operator)')
    .option('--follow', 'show a live progress bar per job until the run ends')
    .action(async (runId: string | undefined, options: { follow?: boolean }) => {
      const { gateway, output } = context();
      const resumed = liveRunOf((await gateway.request(OperatorResumeFullSyncDocument, { runId: await runIdOr(context(), runId) })).resumeFullSync);
      if (!options.follow) return finish(context(), resumed, false);
      finish(context(), await followRun(gateway, resumed, output.json ? null : new JobDisplay(process.stdout, true)), true);
    });
}
