import type { DataSource } from 'typeorm';
import type { Fingerprint } from './record-fingerprint';

/** A record of the other system that may be the one a sync was about to create, and why. */
export interface DuplicateCandidate {
  /** The candidate's key in its system. */
  readonly key: string;
  /** 0 to 1: 1 when the mapping's match fields are all equal, else the name's trigram similarity, raised by what corroborates it. */
  readonly score: number;
  readonly sameMatchFields: boolean;
  readonly nameSimilarity: number;
  /** Null when either record has no phone number (or e-mail address, or address). */
  readonly samePhone: boolean | null;
  readonly sameEmailDomain: boolean | null;
  readonly addressSimilarity: number | null;
}

/** Candidates kept per held record, best first. */
const CANDIDATES_PER_RECORD = 5;
/** A name word shared by more records than this says nothing about which one is meant. */
const MAX_BLOCK = 500;
/** Pairs scored per statement. */
const PAIRS_PER_STATEMENT = 20_000;

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The other system's uncoupled records a run compares new records with, indexed so that each new
 * record is scored only against those sharing its match fields, its phone number or the starts of
 * two name words (the blocking keys), not against every record.
 */
export class CandidatePool {
  private readonly byKey = new Map<string, number[]>();

  constructor(readonly entries: ReadonlyArray<{ readonly key: string; readonly print: Fingerprint }>) {
    entries.forEach((entry, index) => {
      for (const block of blocksOf(entry.print)) {
        const members = this.byKey.get(block);
        if (members) members.push(index);
        else this.byKey.set(block, [index]);
      }
    });
  }

  /** The entries sharing a blocking key with `print`. */
  near(print: Fingerprint): Set<number> {
    const found = new Set<number>();
    for (const block of blocksOf(print)) {
      const members = this.byKey.get(block);
      if (members && members.length <= MAX_BLOCK) for (const index of members) found.add(index);
    }
    return found;
  }
}

/**
 * A name's blocking keys: each pair of its words' first four letters (its one word's, for a name
 * of one), so that a word as common as "traders" gathers no crowd, a typo at a word's end still
 * meets, and the words' order does not matter.
 */
function blocksOf(print: Fingerprint): string[] {
  const starts = [
    ...new Set(
      print.name
        .split(' ')
        .filter((word) => word.length >= 3)
        .map((word) => word.slice(0, 4)),
    ),
  ].sort();
  const blocks = starts.length === 1 ? [`n:${starts[0]}`] : starts.flatMap((first, index) => starts.slice(index + 1).map((second) => `n:${first}|${second}`));
  if (print.phone) blocks.push(`p:${print.phone}`);
  if (print.criteria) blocks.push(`c:${print.criteria}`);
  return blocks;
}

/**
 * Scores each source fingerprint against the pool's records near it, trigram similarity
 * computed by PostgreSQL's pg_trgm, and returns per source the candidates scoring at least
 * `threshold`, best first. `dismissed` leaves out pairs an operator said are different records.
 */
export async function likelyMatches(
  db: DataSource,
  sources: readonly Fingerprint[],
  pool: CandidatePool,
  threshold: number,
  dismissed: (source: number, key: string) => boolean,
): Promise<DuplicateCandidate[][]> {
  const pairs: Array<{ source: number; entry: number }> = [];
  sources.forEach((print, source) => {
    for (const entry of pool.near(print)) if (!dismissed(source, pool.entries[entry]!.key)) pairs.push({ source, entry });
  });
  const found: DuplicateCandidate[][] = sources.map(() => []);
  for (let start = 0; start < pairs.length; start += PAIRS_PER_STATEMENT) {
    const batch = pairs.slice(start, start + PAIRS_PER_STATEMENT);
    const similarities: Array<{ name: number; address: number }> = await db.query(
      `SELECT similarity(p.a, p.b) AS name, similarity(p.c, p.d) AS address
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS p(a, b, c, d, n) ORDER BY p.n`,
      [
        batch.map((pair) => sources[pair.source]!.name),
        batch.map((pair) => pool.entries[pair.entry]!.print.name),
        batch.map((pair) => sources[pair.source]!.address),
        batch.map((pair) => pool.entries[pair.entry]!.print.address),
      ],
    );
    batch.forEach((pair, index) => {
      const candidate = scored(sources[pair.source]!, pool.entries[pair.entry]!, similarities[index]!);
      if (candidate.score >= threshold) found[pair.source]!.push(candidate);
    });
  }
  return found.map((candidates) => candidates.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key)).slice(0, CANDIDATES_PER_RECORD));
}

function scored(source: Fingerprint, entry: { key: string; print: Fingerprint }, similarity: { name: number; address: number }): DuplicateCandidate {
  const other = entry.print;
  const both = (a: string, b: string) => a !== '' && b !== '';
  const nameSimilarity = both(source.name, other.name) ? round(Number(similarity.name)) : 0;
  const samePhone = both(source.phone, other.phone) ? source.phone === other.phone : null;
  const sameEmailDomain = both(source.emailDomain, other.emailDomain) ? source.emailDomain === other.emailDomain : null;
  const addressSimilarity = both(source.address, other.address) ? round(Number(similarity.address)) : null;
  const sameMatchFields = source.criteria !== null && source.criteria === other.criteria;
  const support = [samePhone === null ? null : Number(samePhone), sameEmailDomain === null ? null : Number(sameEmailDomain), addressSimilarity].filter(
    (value): value is number => value !== null,
  );
  const corroborated = support.length === 0 ? nameSimilarity : Math.max(nameSimilarity, (nameSimilarity + support.reduce((a, b) => a + b, 0) / support.length) / 2);
  return { key: entry.key, score: sameMatchFields ? 1 : round(corroborated), sameMatchFields, nameSimilarity, samePhone, sameEmailDomain, addressSimilarity };
}
