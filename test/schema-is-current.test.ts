import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildGatewaySchema, printGatewaySchema } from '../src/server/schema';

describe('schema/schema.graphql', () => {
  it('is what the code emits (run `npm run schema:emit` after changing a type)', async () => {
    const committed = await readFile(path.join(process.cwd(), 'schema', 'schema.graphql'), 'utf8');
    assert.equal(committed, printGatewaySchema(await buildGatewaySchema()));
  });

  it('links Federation 2.7 and makes every unified type an entity keyed by id', async () => {
    const sdl = printGatewaySchema(await buildGatewaySchema());
    assert.match(sdl, /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.7"/);
    for (const type of ['Customer', 'Contact', 'Item', 'Resource', 'Invoice', 'Salesperson', 'Currency', 'UnitOfMeasure', 'PriceList', 'Opportunity', 'SalesOrder']) {
      assert.match(sdl, new RegExp(`type ${type} implements Node\\s+@key\\(fields: "id"\\)`), type);
    }
  });
});
