/** What pino needs of a destination. */
export interface LineDestination {
  write(line: string): boolean;
  flush(): void;
}

/**
 * The log lines of one event-loop turn, written to `out` together when the turn ends (setImmediate),
 * so that requests finishing in the same turn share one write(2). A crash loses at most that
 * turn's lines; a process that exits (process.exit, an uncaught exception) writes them first.
 */
export function turnBatchedOutput(out: NodeJS.WritableStream): LineDestination {
  let pending = '';
  const flush = () => {
    if (pending.length === 0) return;
    const lines = pending;
    pending = '';
    out.write(lines);
  };
  process.on('exit', flush);
  return {
    write(line) {
      if (pending.length === 0) setImmediate(flush);
      pending += line;
      return true;
    },
    flush,
  };
}
