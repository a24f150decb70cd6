import { Role } from '../auth/role';
import { withoutPassword } from '../observability/logger';

/**
 * What `npm start` shows a person in development, as plain text beside the JSON log lines: where
 * the gateway and its console listen, how to add workers, and (with a secret generated for this
 * run) a token per role. A configured DATABASE_URL is shown without its password; the embedded
 * server's is the fixed local one it was started with.
 */
export function developmentBanner(options: {
  url: string;
  wsUrl: string;
  consoleUrl: string;
  worker: boolean;
  databaseUrl: string;
  embedded: boolean;
  demoTokens: Readonly<Record<Role, string>> | undefined;
}): string {
  const lines = [
    `\nERP ⇄ CRM gateway ready at ${options.url} (graphql-ws: ${options.wsUrl})`,
    `The unified index follows both systems; ${options.url.replace(/\/graphql$/, '/readyz')} answers 200 once its start-up catch-up is complete`,
  ];
  const url = options.embedded ? options.databaseUrl : withoutPassword(options.databaseUrl);
  lines.push(
    options.worker
      ? `A background worker runs in this process; more can run beside it: DATABASE_URL=${url} npm run worker`
      : 'No background worker in this process (IN_PROCESS_WORKER=false): start some with `npm run worker`',
    `Operator console: ${options.consoleUrl}`,
  );
  if (options.demoTokens) {
    lines.push('\nNo AUTH_JWT_SECRET set: tokens for this run (send as "Authorization: Bearer <token>"; the console offers them too):');
    for (const role of Object.values(Role)) lines.push(`  ${role.padEnd(8)} ${options.demoTokens[role]}`);
  }
  return `${lines.join('\n')}\n\n`;
}
