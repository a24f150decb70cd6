#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCoupleByMatch } from './commands/couple-by-match.command';
import type { CommandContext } from './commands/command-context';
import { registerDuplicates } from './commands/duplicates.command';
import { registerErrors } from './commands/errors.command';
import { registerFullSync } from './commands/full-sync.command';
import { registerMappings } from './commands/mappings.command';
import { registerSync } from './commands/sync.command';
import { CliError, connectionFromEnv, type GatewayConnection } from './gateway-connection';
import { createOutput } from './output';

/** `erp-crm <command>`: the gateway's operations from a terminal or a script, over its GraphQL API. */
async function main(argv: string[]): Promise<number> {
  const program = new Command('erp-crm')
    .description('Operate the ERP ⇄ CRM gateway over its GraphQL API (GATEWAY_URL, GATEWAY_TOKEN)')
    .option('--json', 'print results as JSON, for scripts (no progress bars)')
    .showHelpAfterError()
    .exitOverride();
  let gateway: GatewayConnection | null = null;
  const context = (): CommandContext => {
    gateway ??= connectionFromEnv();
    return { gateway, output: createOutput(Boolean(program.opts().json)) };
  };
  registerFullSync(program, context);
  registerSync(program, context);
  registerErrors(program, context);
  registerDuplicates(program, context);
  registerCoupleByMatch(program, context);
  registerMappings(program, context);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      process.stderr.write(`erp-crm: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  } finally {
    await (gateway as GatewayConnection | null)?.close();
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`erp-crm: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
