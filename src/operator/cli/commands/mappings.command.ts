import type { Command } from 'commander';
import { OperatorTableMappingsDocument } from '../../api/generated/operations';
import { directionLabel } from '../../api/job-progress';
import { columns } from '../output';
import type { CommandContext } from './command-context';

export function registerMappings(program: Command, context: () => CommandContext): void {
  program
    .command('mappings')
    .description('integration table mappings')
    .command('list')
    .description('table mappings with direction, conflict policies, schedule and counts')
    .action(async () => {
      const { integrationTableMappings: mappings } = await context().gateway.request(OperatorTableMappingsDocument);
      context().output.result(mappings, () =>
        columns([
          ['MAPPING', 'ERP ⇄ CRM', 'DIRECTION', 'CONFLICTS', 'DELETIONS', 'EVERY', 'COUPLED', 'ERRORS', 'FIELDS'],
          ...mappings.map((m) => [
            m.name,
            `${m.erpTable} ⇄ ${m.crmTable}`,
            directionLabel(m.direction),
            m.updateConflictResolution,
            m.deletionConflictResolution,
            `${m.incrementalIntervalSeconds} s`,
            m.couplingCount,
            m.errorCount + m.skippedCount,
            m.fieldMappings.length,
          ]),
        ]),
      );
    });
}
