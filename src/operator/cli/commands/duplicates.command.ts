import type { Command } from 'commander';
import { OperatorPossibleDuplicatesDocument, OperatorResolvePossibleDuplicateDocument, type DuplicateAction } from '../../api/generated/operations';
import { jobSummary } from '../../api/job-progress';
import { ended } from '../follow';
import { CliError } from '../gateway-connection';
import { columns } from '../output';
import type { CommandContext } from './command-context';

const ACTIONS: readonly DuplicateAction[] = ['COUPLE', 'CREATE', 'IGNORE'];

export function registerDuplicates(program: Command, context: () => CommandContext): void {
  const duplicates = program.command('duplicates').description('records a sync held instead of creating them: the other system may hold them already');
  duplicates
    .command('list')
    .argument('<mapping>', 'table mapping name, e.g. CUSTOMER')
    .option('--limit <n>', 'at most this many (up to 1000)', '100')
    .description('list held records with their candidates and scores')
    .action(async (mapping: string, options: { limit: string }) => {
      const first = Number(options.limit);
      if (!Number.isInteger(first) || first < 1 || first > 1000) throw new CliError(`--limit must be a whole number from 1 to 1000, got "${options.limit}"`);
      const rows = (await context().gateway.request(OperatorPossibleDuplicatesDocument, { mapping, first })).possibleDuplicates.edges.map((edge) => edge.node);
      context().output.result(rows, () =>
        rows.length === 0
          ? 'No records held.'
          : columns([
              ['ID', 'HELD IN', 'RECORD', 'CANDIDATE', 'SCORE', 'PHONE'],
              ...rows.flatMap((row) =>
                row.candidates.map((c, index) => [
                  index === 0 ? row.id : '',
                  index === 0 ? (row.direction === 'TO_CRM' ? 'ERP' : 'CRM') : '',
                  index === 0 ? row.recordId : '',
                  c.recordId,
                  c.score,
                  c.samePhone === null ? '' : c.samePhone ? 'same' : 'different',
                ]),
              ),
            ]),
      );
    });
  duplicates
    .command('resolve')
    .argument('<id>', "a held record's id (from `duplicates list`)")
    .requiredOption('--action <action>', 'couple, create or ignore')
    .option('--erp <id>', 'the ERP candidate of a CRM record held, to couple with or to dismiss')
    .option('--crm <id>', 'the CRM candidate of an ERP record held, to couple with or to dismiss')
    .description('couple a held record with a candidate, create it, or dismiss candidates (operator)')
    .action(async (id: string, options: { action: string; erp?: string; crm?: string }) => {
      const action = options.action.toUpperCase() as DuplicateAction;
      if (!ACTIONS.includes(action)) throw new CliError(`--action must be couple, create or ignore, got "${options.action}"`);
      const candidate = { erpId: options.erp ?? null, crmId: options.crm ?? null };
      const { resolvePossibleDuplicate: answered } = await context().gateway.request(OperatorResolvePossibleDuplicateDocument, { id, action, ...candidate });
      const [syncJob = null] = await ended(context().gateway, answered.syncJob ? [answered.syncJob] : []);
      const outcome = { ...answered, syncJob };
      context().output.result(outcome, () => `${outcome.action}: ${outcome.recordId}${outcome.syncJob ? ` (${jobSummary(outcome.syncJob)})` : ''}`);
    });
}
