/** Where gathered lines go: process.stdout, or anything taking text. */
export interface LineOutput {
  write(text: string): unknown;
}

/**
 * Lines written together, at most `ms` after the first of them: a destination for pino. One line
 * per request was a write(2) per request, and on a pipe each wakes the log's reader; gathered,
 * one write carries the lines of `ms`. What is gathered is written at once on flush (the process
 * flushes at exit, a crash included); a process killed outright loses at most `ms` of lines.
 */
export class GatheredLines implements LineOutput {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: LineOutput,
    private readonly ms: number,
  ) {}

  write(line: string): void {
    this.pending += line;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.ms);
    // The lines wait for no one: at exit they are flushed, not waited for.
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.out.write(text);
  }
}
