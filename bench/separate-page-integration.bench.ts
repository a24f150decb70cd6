import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { print } from 'graphql';
import { Client } from 'pg';
import { storeUrl } from '../src/db/data-sources';
import { IntegrationLoaders, type LinkKey, type SqlStatement } from '../src/loaders/integration.loaders';
import { createRequestLoaders } from '../src/loaders/request-loaders';
import { unifiedTypes } from '../src/unify/unified-types';
import { CustomersPageDocument } from '../test/generated/operations';
import { findDatabaseServer } from '../test/support/database-server';
import { startTestGateway } from '../test/support/test-gateway';
import { loadAverage, machine, runBench } from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2_000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);
const PER_BLOCK = 100;
const PAGE = { first: 50, filter: { coupled: true } };

/** CPU milliseconds a local PostgreSQL backend has used (/proc, Linux). */
function backendCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * `npm run bench:separate-integration`: what the benchmark page (bench:separate) costs the
 * integration store on separate databases: the one statement of this build (the page, its
 * related records' links by the index's references, the field mappings and the count) against the
 * two the page cost before (the page; then the links by the keys the ERP and CRM records hold,
 * the field mappings and the count, as `readAhead` still reads them), run in blocks of 100 in
 * turns on one connection each, with the server backend's CPU from /proc (a local server only).
 */
async function main(): Promise<void> {
  const server = await findDatabaseServer();
  process.env.TEST_DATABASE_SERVER = server.url;
  const gateway = await startTestGateway({ label: 'bench_separate_integration', customers: CUSTOMERS, separateDatabases: true, production: true });
  try {
    const integration = gateway.stores.integration;
    // The statement this build sends, and the keys the ERP and CRM records hold, as the page reads them.
    const wanted = new Map<string, LinkKey[]>();
    const prime = IntegrationLoaders.prototype.primeLinks;
    IntegrationLoaders.prototype.primeLinks = function (this: IntegrationLoaders, mappingName, keys, rows) {
      wanted.set(mappingName, [...(wanted.get(mappingName) ?? []), ...keys]);
      prime.call(this, mappingName, keys, rows);
    };
    const statements: SqlStatement[] = [];
    const query = integration.query.bind(integration);
    integration.query = ((sql: string, parameters?: unknown[]) => {
      statements.push({ sql, parameters: parameters ?? [] });
      return query(sql, parameters);
    }) as typeof integration.query;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` },
      body: JSON.stringify({ query: print(CustomersPageDocument), variables: PAGE }),
    });
    await response.text();
    const one = statements.find((statement) => statement.sql.includes('page_rows'))!;
    const count = gateway.services.lists.countStatement(unifiedTypes.Customer, PAGE.filter);
    statements.length = 0;
    await createRequestLoaders(gateway.services.connectors, integration).integration.readAhead(wanted, count);
    const [readAhead] = statements;
    integration.query = query;
    IntegrationLoaders.prototype.primeLinks = prime;
    const two = [gateway.services.lists.pageStatement(unifiedTypes.Customer, PAGE), readAhead!];

    const clients = await Promise.all(
      ['one', 'two'].map(async () => {
        const client = new Client({ connectionString: storeUrl(integration) });
        await client.connect();
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        return { client, pid };
      }),
    );
    const paths = [
      { name: 'this build: 1 statement', statements: [one], connection: clients[0]!, serverMs: 0, clientMs: 0, pages: 0 },
      { name: 'before: 2 statements (page; links, field mappings, count)', statements: two, connection: clients[1]!, serverMs: 0, clientMs: 0, pages: 0 },
    ];
    for (let block = 0; block < BLOCKS; block += 1) {
      for (const path of block % 2 === 0 ? paths : [...paths].reverse()) {
        const server = backendCpuMs(path.connection.pid);
        const client = process.cpuUsage();
        for (let page = 0; page < PER_BLOCK; page += 1) {
          for (const statement of path.statements) await path.connection.client.query(statement.sql, statement.parameters as unknown[]);
        }
        const used = process.cpuUsage(client);
        path.serverMs += backendCpuMs(path.connection.pid) - server;
        path.clientMs += (used.user + used.system) / 1000;
        path.pages += PER_BLOCK;
      }
    }
    await Promise.all(clients.map(({ client }) => client.end()));
    console.log(
      [
        `${machine()}; ${CUSTOMERS.toLocaleString('en')} demo customers on separate databases; ${BLOCKS} blocks of ${PER_BLOCK} pages per path, in turns; load average ${loadAverage()}.`,
        '',
        '| integration store | PostgreSQL CPU per page | pg client CPU per page |',
        '|---|---|---|',
        ...paths.map((path) => `| ${path.name} | ${(path.serverMs / path.pages).toFixed(2)} ms | ${(path.clientMs / path.pages).toFixed(2)} ms |`),
      ].join('\n'),
    );
  } finally {
    await gateway.close();
    await server.embedded?.stop();
  }
}

runBench(main);
