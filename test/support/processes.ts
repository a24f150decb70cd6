import { spawn, type ChildProcess } from 'node:child_process';
import { DEMO_MAIN } from './full-sync-outcome';

/** Resolves with the first match of `pattern` in the process's output. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}

/** Everything a process writes to stdout, kept for assertions made after the fact. */
export function collectOutput(child: ChildProcess): { text(): string; lines(): string[] } {
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { text: () => output, lines: () => output.split('\n').filter((line) => line.length > 0) };
}

/** The demo gateway as a process of its own, in production mode with 10 customers and no worker, its stdout piped to the test. */
export function spawnDemoGateway(databaseUrl: string, secret: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [DEMO_MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      DEMO_CUSTOMERS: '10',
      AUTH_JWT_SECRET: secret,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      IN_PROCESS_WORKER: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}
