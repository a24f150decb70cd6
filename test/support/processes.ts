import type { ChildProcess } from 'node:child_process';

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
