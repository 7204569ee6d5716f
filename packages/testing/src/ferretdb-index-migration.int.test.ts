// The local MongoDB-wire server migrates indexes by itself: a data directory whose SQLite indexes
// have the form unpatched FerretDB 1.24 creates (JSON paths, which no pushed-down query uses) gets
// them recreated in the pushdown form when the patched server opens it (infra/ferretdb/patches).
// The old form is written with Python's sqlite3 module into a private server's stopped data
// directory, as an older build would have left it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MongoClient } from 'mongodb';
import { sqliteFile, withPrivateFerretDb } from './private-ferretdb';

jest.setTimeout(60_000);

const dataDir = mkdtempSync(join(tmpdir(), 'dd-ferretdb-migration-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const INDEX_SQL = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE '%by_key'";
const sqlite = (file: string, statements: string[]) => sqliteFile(file, statements, INDEX_SQL) as string[];

const withServer = <T>(run: (client: MongoClient) => Promise<T>) => withPrivateFerretDb(dataDir, run);

const query = (client: MongoClient) =>
  client
    .db('migration')
    .collection('items')
    .find({ status: 'a' }, { sort: { key: -1 }, limit: 3 });

test('an index of the unpatched form is recreated in the pushdown form when the server opens the data', async () => {
  await withServer(async (client) => {
    const items = client.db('migration').collection('items');
    await items.createIndex({ status: 1, key: 1 }, { name: 'by_key' });
    await items.insertMany(Array.from({ length: 200 }, (_, i) => ({ status: i % 2 ? 'a' : 'b', key: i })));
  });

  // Rewrite the index as unpatched FerretDB 1.24.2 creates it.
  const file = join(dataDir, 'migration.sqlite');
  const [current] = sqlite(file, []);
  const [, name, table] = /CREATE INDEX "([^"]+)" ON "([^"]+)"/.exec(current!)!;
  const [old] = sqlite(file, [
    `DROP INDEX "${name}"`,
    `CREATE INDEX "${name}" ON "${table}" (_ferretdb_sjson->"status", _ferretdb_sjson->"key")`,
  ]);
  expect(old).toContain('_ferretdb_sjson->"status"');

  await withServer(async (client) => {
    const explain = await query(client).explain();
    expect(JSON.stringify(explain.queryPlanner)).toMatch(new RegExp(`SEARCH \\S+ USING INDEX ${name}`));
    expect(JSON.stringify(explain.queryPlanner)).not.toMatch(/TEMP B-TREE/);
    expect((await query(client).toArray()).map((d) => d.key)).toEqual([199, 197, 195]);
    expect(await client.db('migration').collection('items').countDocuments()).toBe(200);
  });
  const [migrated] = sqlite(file, []);
  expect(migrated).toContain('CASE');
  expect(migrated).not.toContain('_ferretdb_sjson->"status"');
});
