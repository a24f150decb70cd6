/**
 * Business Central's IncStr: the number after `no`, counting up the last run of digits by `by`
 * and keeping its width (C00009 → C00010); null when `no` holds no digits.
 */
export function incrementNumber(no: string, by = 1): string | null {
  const match = /(\d+)(\D*)$/.exec(no);
  if (!match) return null;
  const digits = match[1]!;
  const next = String(BigInt(digits) + BigInt(by)).padStart(digits.length, '0');
  return no.slice(0, match.index) + next + match[2]!;
}
