/** Where gathered lines go: process.stdout, or anything taking text. */
export interface LineOutput {
  write(text: string): unknown;
  /** Bytes written but not yet taken by the reader (a stream's own count). */
  readonly writableLength?: number;
}

/**
 * Lines written together, at most `ms` after the first of them: a destination for pino. One line
 * per request was a write(2) per request, and on a pipe each wakes the log's reader; gathered,
 * one write carries the lines of `ms`. What is gathered is written at once on flush (the process
 * flushes at exit, a crash included); a process killed outright loses at most `ms` of lines.
 *
 * What a paused reader has not taken waits in the process, up to `limit` bytes: past it, lines
 * are dropped rather than held, so a stalled collector costs lines, not the process's memory.
 * The count dropped is handed to `dropped` before the next lines are written.
 */
export class GatheredLines implements LineOutput {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  private droppedLines = 0;

  constructor(
    private readonly out: LineOutput,
    private readonly ms: number,
    private readonly dropped: (lines: number) => void = () => undefined,
    /** Bytes the reader may leave unread before lines are dropped. */
    public limit = Number.POSITIVE_INFINITY,
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
    if ((this.out.writableLength ?? 0) + text.length > this.limit) {
      this.droppedLines += lineCount(text);
      return;
    }
    if (this.droppedLines > 0) {
      const lines = this.droppedLines;
      this.droppedLines = 0;
      this.dropped(lines);
    }
    this.out.write(text);
  }
}

function lineCount(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  return lines;
}
