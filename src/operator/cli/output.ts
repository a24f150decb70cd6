/** What a command prints: JSON for scripts (--json), or text for people. */
export interface Output {
  readonly json: boolean;
  result(value: unknown, text: () => string): void;
}

export function createOutput(json: boolean, out: NodeJS.WritableStream = process.stdout): Output {
  return {
    json,
    result: (value, text) => out.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`),
  };
}

/** Rows as aligned columns, the first row a header. */
export function columns(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0))) ?? [];
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
