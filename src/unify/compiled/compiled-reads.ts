import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import { storeUrl, type Stores } from '../../db/data-sources';
import { withHeldConnection } from '../../db/held-connection';
import type { StatementGuard } from '../../db/statement-guard';
import { uuidArrayParameter } from '../../db/uuid-array';
import type { UnifiedIdParts } from '../unified-id';
import { encodeCursor } from '../../paging/page-cursor';
import { notInstalled, pagePosition, searchPattern, type PageArgs, type UnifiedListService } from '../unified-list.service';
import type { UnifiedRecord } from '../unified-record';
import type { UnifiedConnection } from '../unified-connection';
import { MergeDirections } from './merge-directions';
import { ReadStatements } from './read-statement';
import { ResolvedReferences } from './resolved-references';
import type { RecordSelection } from './record-selection';
import type { ConnectionEntry, ResponseEntry } from './response-shape';
import { inPieces, Unwritable } from './response-text';

export interface Statement {
  readonly name: string;
  readonly text: string;
}

type PageRow = [sortKey: string, id: string, record: UnifiedRecord | null];

/** A response's text in pieces, in order, to be written joined by commas (see inPieces in response-text.ts). */
export type ResponsePieces = readonly string[];

export type CompiledReadKind = 'list' | 'lookup';

/** Told of every statement a compiled read runs: for the gateway's metrics. */
export type CompiledReadObserver = (kind: CompiledReadKind, seconds: number, failed: boolean) => void;

/**
 * Reads what a query selects of unified records in one statement, when the ERP, the CRM and the
 * integration store are one database: the page (or the looked-up records), both sides' selected
 * fields, couplings, sync states, merged fields and the related records the selection names, as
 * JSON objects under their GraphQL field names, ready for the schema's resolvers.
 */
export class CompiledReads {
  /** Statements written with `directions` (they hold them as constants): both caches start over when the directions are read anew. */
  private statements = new Map<string, Statement>();
  /** Text statements by the response they write (one per document and record type), then as `statements`. */
  private textStatements = new WeakMap<readonly ConnectionEntry[] | readonly ResponseEntry[], Map<string, Statement>>();
  private readonly coverage = new WeakMap<RecordSelection, boolean>();
  private readonly sql: ReadStatements;
  private readonly pool: Pool;
  /** The to-one references its statements read resolved, for the read model to keep. */
  readonly references: ResolvedReferences;
  private readonly observers = new Set<CompiledReadObserver>();
  private directions = MergeDirections.UNREAD;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly stores: Stores,
    private readonly lists: UnifiedListService,
    private readonly guard: StatementGuard,
  ) {
    this.sql = new ReadStatements({ erp: stores.erp, crm: stores.crm }, () => this.directions);
    this.pool = (stores.integration.driver as unknown as { master: Pool }).master;
    this.references = new ResolvedReferences(this.pool, this.sql);
  }

  /** Compiled reads need the three stores in one database; separate ones are read through the loaders. */
  static available(stores: Stores): boolean {
    const url = storeUrl(stores.integration);
    return storeUrl(stores.erp) === url && storeUrl(stores.crm) === url;
  }

  /** Tells `observer` of every read from now on; the returned function stops that. */
  observe(observer: CompiledReadObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Whether a selection can be read in one statement. */
  covers(selection: RecordSelection): boolean {
    let covered = this.coverage.get(selection);
    if (covered === undefined) {
      covered = this.sql.covers(selection);
      this.coverage.set(selection, covered);
    }
    return covered;
  }

  async list(selection: RecordSelection, args: PageArgs): Promise<UnifiedConnection> {
    const { type } = selection;
    const { key, limit, shape, values } = this.page(args);
    const rows = (await this.directed(async () => {
      const statement = this.statement(`list:${key}:${selection.signature}`, () => this.sql.list(selection, type.mappingName, limit, shape));
      return this.records(type.mappingName, (await this.run('list', statement, values))[0]!);
    })) as PageRow[];
    const page = rows.length > args.first ? rows.slice(0, args.first) : rows;
    const edges: Array<{ node: UnifiedRecord; cursor: string }> = [];
    const cursors = page.map(([sortKey, id]) => encodeCursor(sortKey, id));
    page.forEach(([, , node], index) => {
      if (node) edges.push({ node, cursor: cursors[index]! });
    });
    const lists = this.lists;
    return {
      edges,
      // A getter, so the count query runs only when a client selects totalCount.
      get totalCount() {
        return lists.count(type, args.filter);
      },
      pageInfo: {
        hasNextPage: rows.length > args.first,
        hasPreviousPage: Boolean(args.after),
        startCursor: cursors[0] ?? null,
        endCursor: cursors[cursors.length - 1] ?? null,
      },
    };
  }

  /**
   * A page as the JSON text of its connection's response, as graphql-js would write it for
   * `response` (see response-text.ts); null when graphql-js must write it (a value it would write
   * otherwise or an error it would report).
   */
  async listText(selection: RecordSelection, args: PageArgs, response: readonly ConnectionEntry[]): Promise<ResponsePieces | null> {
    return this.directed(() => {
      const { statement, values } = this.listTextStatementNow(selection, args, response);
      return this.text('list', selection, statement, values);
    });
  }

  /** The statement `listText` runs for a page, and its parameters. */
  async listTextStatement(selection: RecordSelection, args: PageArgs, response: readonly ConnectionEntry[]): Promise<{ statement: Statement; values: unknown[] }> {
    await this.directionsRead();
    return this.listTextStatementNow(selection, args, response);
  }

  private listTextStatementNow(selection: RecordSelection, args: PageArgs, response: readonly ConnectionEntry[]): { statement: Statement; values: unknown[] } {
    const { key, limit, shape, values } = this.page(args);
    const statement = this.statement(
      `${key}:${selection.signature}`,
      () => this.sql.listText(selection, selection.type.mappingName, limit, shape, response),
      this.textStatementsOf(response),
    );
    return { statement, values };
  }

  /**
   * Records by id as the JSON text of an array holding each one's response, as graphql-js would
   * write it for `response`, or null for an id given as null or whose record no longer exists on
   * the side it names; null when graphql-js must write it (see listText).
   */
  async lookupText(selection: RecordSelection, ids: ReadonlyArray<UnifiedIdParts | null>, response: readonly ResponseEntry[]): Promise<ResponsePieces | null> {
    return this.directed(() => {
      const { statement, values } = this.lookupTextStatementNow(selection, ids, response);
      return this.text('lookup', selection, statement, values);
    });
  }

  /** The statement `lookupText` runs for `ids`, and its parameters. */
  async lookupTextStatement(
    selection: RecordSelection,
    ids: ReadonlyArray<UnifiedIdParts | null>,
    response: readonly ResponseEntry[],
  ): Promise<{ statement: Statement; values: unknown[] }> {
    await this.directionsRead();
    return this.lookupTextStatementNow(selection, ids, response);
  }

  private lookupTextStatementNow(
    selection: RecordSelection,
    ids: ReadonlyArray<UnifiedIdParts | null>,
    response: readonly ResponseEntry[],
  ): { statement: Statement; values: unknown[] } {
    const pieces = inPieces(ids.length);
    const statement = this.statement(`${pieces ? 'pieces:' : ''}${selection.signature}`, () => this.sql.lookupText(selection, response, pieces), this.textStatementsOf(response));
    return { statement, values: lookupParameters(ids) };
  }

  /** Whether a compiled statement can write `response` for a list of `selection` (tried once, for a plan). */
  writes(selection: RecordSelection, response: readonly ConnectionEntry[]): boolean {
    return writable(() =>
      this.sql.listText(selection, selection.type.mappingName, 1, { search: false, syncState: false, coupled: null, modifiedSince: false, after: false }, response),
    );
  }

  /** Whether a compiled statement can write `response` for a lookup of `selection` (tried once, for a plan). */
  writesRecord(selection: RecordSelection, response: readonly ResponseEntry[]): boolean {
    return writable(() => this.sql.lookupText(selection, response, false));
  }

  private textStatementsOf(response: readonly ConnectionEntry[] | readonly ResponseEntry[]): Map<string, Statement> {
    let statements = this.textStatements.get(response);
    if (!statements) this.textStatements.set(response, (statements = new Map()));
    return statements;
  }

  /** A text statement's pieces: null when graphql-js must write the answer. */
  private async text(kind: CompiledReadKind, selection: RecordSelection, statement: Statement, values: unknown[]): Promise<ResponsePieces | null> {
    const rows = (await this.run(kind, statement, values)) as Array<{ installed: boolean | null; piece: string | null }>;
    if (rows[0]!.installed === null) throw new DirectionsChanged();
    if (!rows[0]!.installed) throw notInstalled(selection.type);
    return rows[0]!.piece === null ? null : rows.map((row) => row.piece!);
  }

  /** A page's statement shape (what its text depends on) and parameters. */
  private page(args: PageArgs) {
    const after = pagePosition(args);
    const filter = args.filter ?? {};
    const shape = {
      search: Boolean(filter.search),
      syncState: Boolean(filter.syncState),
      coupled: filter.coupled ?? null,
      modifiedSince: Boolean(filter.modifiedSince),
      after: after !== null,
    };
    const limit = args.first + 1;
    const values: unknown[] = [];
    if (filter.search) values.push(searchPattern(filter.search));
    if (filter.syncState) values.push(filter.syncState);
    if (filter.modifiedSince) values.push(filter.modifiedSince);
    if (after) values.push(after[0], after[1]);
    return { key: `${limit}:${JSON.stringify(shape)}`, limit, shape, values };
  }

  /** Records by id, in order; null for one that no longer exists on the side its id names. */
  async lookup(selection: RecordSelection, ids: readonly UnifiedIdParts[]): Promise<Array<UnifiedRecord | null>> {
    const rows = (await this.directed(async () => {
      const statement = this.statement(`one:${selection.signature}`, () => this.sql.lookup(selection));
      const [row] = await this.run('lookup', statement, lookupParameters(ids));
      return this.records(selection.type.mappingName, row!);
    })) as Array<[number, UnifiedRecord]>;
    const found: Array<UnifiedRecord | null> = ids.map(() => null);
    for (const [ordinal, record] of rows) found[ordinal - 1] = record;
    return found;
  }

  private statement(key: string, write: () => string, statements = this.statements): Statement {
    let statement = statements.get(key);
    if (!statement) {
      const text = write();
      // A named statement is planned once per connection: the text is fixed for a selection, filter shape and directions.
      statement = { name: `unified_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
      statements.set(key, statement);
    }
    return statement;
  }

  /**
   * Runs `read` with the merge directions read, and again with them read anew when its statement answered that the
   * field mappings changed since (each change counts up their version, so this ends unless they keep changing).
   */
  private async directed<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      // Awaited only until they are read: afterwards a read goes straight to its statement.
      if (this.directions === MergeDirections.UNREAD) await this.directionsRead();
      const used = this.directions;
      try {
        return await read();
      } catch (error) {
        if (!(error instanceof DirectionsChanged) || attempt === MAX_DIRECTION_READS) throw error;
        if (this.directions === used) this.directionsNow(MergeDirections.UNREAD);
      }
    }
  }

  /** Reads the merge directions unless they are read; concurrent callers share one read. */
  private async directionsRead(): Promise<void> {
    if (this.directions !== MergeDirections.UNREAD) return;
    this.reading ??= (async () => {
      try {
        this.stores.counters.integration.logQuery(MergeDirections.SQL, []);
        this.directionsNow(await MergeDirections.read(this.pool));
      } finally {
        this.reading = null;
      }
    })();
    await this.reading;
  }

  /** The statements written with other directions are of no more use. */
  private directionsNow(directions: MergeDirections): void {
    this.directions = directions;
    this.statements = new Map();
    this.textStatements = new WeakMap();
  }

  /** Runs a compiled statement under the operation's deadline; its rows. */
  private async run(kind: CompiledReadKind, statement: Statement, values: unknown[]): Promise<Array<Record<string, unknown>>> {
    this.stores.counters.integration.logQuery(statement.text, values);
    const started = process.hrtime.bigint();
    let failed = true;
    try {
      return await withHeldConnection(this.pool, async (client) => {
        // TypeORM's subscribers never see this statement: the guard lets an operation's deadline refuse or cancel it.
        const ended = this.guard.statementStarting(this.stores.integration, (client as unknown as { processID: number }).processID);
        try {
          const result = await queried(client, { name: statement.name, text: statement.text, values });
          failed = false;
          return result.rows;
        } finally {
          ended();
        }
      });
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      for (const observer of this.observers) observer(kind, seconds, failed);
    }
  }

  /** The records of a JSON statement's row: [table mapping installed, records]. */
  private records(mappingName: string, row: Record<string, unknown>): unknown[] {
    const [installed, records] = JSON.parse(row.result as string) as [boolean | null, unknown[]];
    if (installed === null) throw new DirectionsChanged();
    if (!installed) throw notInstalled({ mappingName });
    return records;
  }
}

/** Reads of a statement written with merge directions that changed meanwhile, before one answers. */
const MAX_DIRECTION_READS = 5;

/** A statement answered that the field mappings changed since the merge directions in its text were read. */
class DirectionsChanged extends Error {
  constructor() {
    super('the field mappings changed while a compiled read was written');
  }
}

/**
 * A statement's result through pg's callback rather than the promise pg's query returns: with that
 * promise every result outlived two young collections (measured: about 23 KB a page, the statement's
 * text, promoted to the old generation per request; none through the callback, as with pool.query).
 */
function queried(client: PoolClient, config: QueryConfig): Promise<QueryResult<Record<string, unknown>>> {
  return new Promise((resolve, reject) => client.query<Record<string, unknown>>(config, (error, result) => (error ? reject(error) : resolve(result))));
}

/**
 * A lookup's $1 (text[]: each id's side, erp or crm, which need no quoting) and $2 (uuid[]: its
 * key, decodeUnifiedId's checked uuid), NULL for an id of another type, written as the statement
 * reads them rather than escaped by pg element by element.
 */
function lookupParameters(ids: ReadonlyArray<UnifiedIdParts | null>): [string, Buffer] {
  return [`{${ids.map((id) => id?.system ?? 'NULL').join(',')}}`, uuidArrayParameter(ids.map((id) => id?.key ?? null))];
}

function writable(write: () => string): boolean {
  try {
    write();
    return true;
  } catch (error) {
    if (error instanceof Unwritable) return false;
    throw error;
  }
}
