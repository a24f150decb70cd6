import type { Command } from 'commander';
import { OperatorCoupleByMatchDocument } from '../../api/generated/operations';
import { jobOutcome } from '../../api/job-progress';
import { ended } from '../follow';
import type { CommandContext } from './command-context';

/** "no|name,email" → [["no"], ["name", "email"]]: field sets by priority. */
const criteriaOf = (text: string) =>
  text
    .split('|')
    .map((set) =>
      set
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean),
    )
    .filter((set) => set.length > 0);

export function registerCoupleByMatch(program: Command, context: () => CommandContext): void {
  program
    .command('couple-by-match')
    .argument('<mapping>', 'table mapping name, e.g. CUSTOMER')
    .description('couple uncoupled records whose match fields agree (operator)')
    .option('--dry-run', 'report what would happen and write nothing')
    .option('--criteria <sets>', 'field sets by priority, e.g. "no|name,email" (default: the mapping\'s match fields)')
    .option('--create', 'create the CRM record when nothing matches')
    .option('--sync', 'synchronise each new coupling right away')
    .action(async (mapping: string, options: { dryRun?: boolean; criteria?: string; create?: boolean; sync?: boolean }) => {
      const input = {
        mapping,
        dryRun: options.dryRun ?? false,
        createIfNoMatch: options.create ?? false,
        syncAfterCoupling: options.sync ?? false,
        ...(options.criteria ? { criteria: criteriaOf(options.criteria) } : {}),
      };
      const { coupleByMatch: answered } = await context().gateway.request(OperatorCoupleByMatchDocument, { input });
      const result = { ...answered, syncJobs: await ended(context().gateway, answered.syncJobs) };
      const { counts } = result;
      context().output.result(result, () =>
        [
          `${mapping}${input.dryRun ? ' (dry run: nothing was written)' : ''}: ${counts.coupled} coupled, ${counts.created} created, ${counts.noMatch} without a match, ${counts.ambiguous} ambiguous, ${counts.alreadyCoupled} already coupled`,
          ...result.samples.map(
            (s) => `  ${s.kind.toLowerCase()}: ${s.erpRecordId ?? '-'} → ${s.crmRecordIds.join(', ') || '-'}${s.criteria ? ` (on ${s.criteria.join(', ')})` : ''}`,
          ),
          ...result.syncJobs.map((job) => `  ${jobOutcome(job)}`),
        ].join('\n'),
      );
    });
}
