import { InvalidArgumentError, type Command } from 'commander';
import {
  OperatorResolveSyncErrorsDocument,
  OperatorRetrySyncErrorsDocument,
  OperatorSyncErrorsDocument,
  type OperatorJobFragment,
  type ConflictSide,
  type FieldResolutionInput,
  type OperatorSyncErrorsQuery,
  type SyncResolution,
  type SyncResult,
} from '../../api/generated/operations';
import { jobOutcome } from '../../api/job-progress';
import { ended } from '../follow';
import { CliError } from '../gateway-connection';
import { columns } from '../output';
import type { CommandContext } from './command-context';

type SyncErrorRow = OperatorSyncErrorsQuery['syncErrors']['edges'][number]['node'];

const WINNERS: Readonly<Record<string, SyncResolution>> = {
  erp: 'ERP_WINS',
  crm: 'CRM_WINS',
  restore: 'RESTORE',
  uncouple: 'REMOVE_COUPLING',
  'delete-survivor': 'DELETE_SURVIVOR',
};

interface Selection {
  mapping?: string;
  result?: string;
  search?: string;
  limit: string;
  all?: boolean;
}

const selectionOptions = (command: Command) =>
  command
    .option('--mapping <name>', 'only this table mapping')
    .option('--result <result>', 'only CONFLICT, FAILED or SKIPPED')
    .option('--search <text>', 'only errors whose message holds this text')
    .option('--limit <n>', 'at most this many (up to 1000)', '100');

/** The error queue's entries the options select (the text filter is applied here: the API filters by mapping and result). */
async function selected(context: CommandContext, options: Selection): Promise<SyncErrorRow[]> {
  const first = Number(options.limit);
  if (!Number.isInteger(first) || first < 1 || first > 1000) throw new CliError(`--limit must be a whole number from 1 to 1000, got "${options.limit}"`);
  const result = options.result?.toUpperCase() as SyncResult | undefined;
  if (result && !['CONFLICT', 'FAILED', 'SKIPPED', 'SUCCESS'].includes(result)) throw new CliError(`--result must be CONFLICT, FAILED or SKIPPED, got "${options.result}"`);
  const filter = { ...(options.mapping ? { mappingName: options.mapping } : {}), ...(result ? { result } : {}) };
  const rows = (await context.gateway.request(OperatorSyncErrorsDocument, { first, filter })).syncErrors.edges.map((edge) => edge.node);
  const needle = options.search?.toLowerCase();
  return needle ? rows.filter((row) => (row.message ?? '').toLowerCase().includes(needle)) : rows;
}

/** The ids given, or with --all every selected entry; never nothing by accident. */
async function targets(context: CommandContext, ids: string[], options: Selection): Promise<string[]> {
  if (ids.length > 0) return ids;
  if (!options.all) throw new CliError('Name the errors (ids from `errors list`), or pass --all with --mapping/--result/--search to act on every one they select');
  return (await selected(context, options)).map((row) => row.id);
}

/** `--field address1City=crm`, repeatable: a side for a field in conflict. */
const collectField = (value: string, fields: FieldResolutionInput[]): FieldResolutionInput[] => {
  const [, field, side] = /^([^=]+)=(erp|crm)$/i.exec(value) ?? [];
  if (!field || !side) throw new InvalidArgumentError('Use <crm field>=erp or <crm field>=crm.');
  return [...fields, { field, side: side.toUpperCase() as ConflictSide }];
};

const jobsText = (jobs: readonly OperatorJobFragment[]) => jobs.map(jobOutcome).join('\n') || 'Nothing to do.';

export function registerErrors(program: Command, context: () => CommandContext): void {
  const errors = program.command('errors').description('the sync error queue (Coupled Data Synchronization Errors)');
  selectionOptions(errors.command('list').description('list reported records')).action(async (options: Selection) => {
    const rows = await selected(context(), options);
    context().output.result(rows, () =>
      rows.length === 0
        ? 'No sync errors.'
        : columns([
            ['ID', 'MAPPING', 'RESULT', 'ERP', 'CRM', 'MESSAGE'],
            ...rows.map((row) => [row.id, row.mappingName, row.result, row.erpExists ? 'yes' : 'deleted', row.crmExists ? 'yes' : 'deleted', row.message ?? '']),
          ]),
    );
  });
  selectionOptions(
    errors.command('retry').argument('[ids...]', 'error ids').description('synchronise reported records again (operator)').option('--all', 'every error the filters select'),
  ).action(async (ids: string[], options: Selection) => {
    const chosen = await targets(context(), ids, options);
    const jobs = chosen.length > 0 ? await ended(context().gateway, (await context().gateway.request(OperatorRetrySyncErrorsDocument, { ids: chosen })).retrySyncErrors) : [];
    context().output.result(jobs, () => jobsText(jobs));
  });
  selectionOptions(
    errors
      .command('resolve')
      .argument('[ids...]', 'error ids')
      .description('decide reported records (operator)')
      .requiredOption('--winner <winner>', `${Object.keys(WINNERS).join(', ')}`)
      .option(
        '--field <field=side>',
        "a conflict field by field: this CRM field takes erp or crm (repeatable); the other fields in conflict take the winner's side, and nothing else is copied",
        collectField,
        [],
      )
      .option('--all', 'every error the filters select'),
  ).action(async (ids: string[], options: Selection & { winner: string; field: FieldResolutionInput[] }) => {
    const resolution = WINNERS[options.winner.toLowerCase()];
    if (!resolution) throw new CliError(`--winner must be one of ${Object.keys(WINNERS).join(', ')}, got "${options.winner}"`);
    const chosen = await targets(context(), ids, options);
    const fields = options.field.length > 0 ? options.field : null;
    const jobs =
      chosen.length > 0
        ? await ended(context().gateway, (await context().gateway.request(OperatorResolveSyncErrorsDocument, { ids: chosen, resolution, fields })).resolveSyncErrors)
        : [];
    context().output.result(jobs, () => jobsText(jobs));
  });
}
