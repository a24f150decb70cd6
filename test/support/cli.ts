import { execFile } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve(__dirname, '../../src/operator/cli/erp-crm.cli.js');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the erp-crm command-line tool as a user would, with the gateway's URL and a token in its environment (an undefined value unsets a variable). */
export function cli(args: string[], env: Record<string, string | undefined>): Promise<Ran> {
  return new Promise((resolve) => {
    const childEnv = { ...process.env, ...env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
    execFile(process.execPath, [CLI, ...args], { env: childEnv, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
