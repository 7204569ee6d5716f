// The local MongoDB-wire server survives what a crash or a racing drop leaves in its data directory
// (infra/ferretdb/patches/sqlite-open-and-drop-survive-crashes.patch): a database file cut short
// before its metadata table opens as an empty database instead of stopping the server from starting,
// and a dropped database takes its WAL and shared-memory files with it, so a database created later
// under the same name never re-initialises shared memory that a connection of the dropped one still
// maps (that killed the shared test server with SIGBUS during a bench).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MongoClient } from 'mongodb';
import { sqliteFile, withPrivateFerretDb } from './private-ferretdb';

jest.setTimeout(60_000);

const dataDir = mkdtempSync(join(tmpdir(), 'dd-ferretdb-recovery-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const withServer = <T>(run: (client: MongoClient) => Promise<T>) => withPrivateFerretDb(dataDir, run);

const filesOf = (database: string) => readdirSync(dataDir).filter((f) => f.startsWith(`${database}.sqlite`));

test('a database file without its metadata table (creation cut short) opens as an empty database', async () => {
  const tables = sqliteFile(
    join(dataDir, 'cut_short.sqlite'),
    ['PRAGMA journal_mode = WAL', 'PRAGMA user_version = 1'],
    "SELECT name FROM sqlite_master WHERE type = 'table'",
  );
  expect(tables).toEqual([]);

  await withServer(async (client) => {
    const items = client.db('cut_short').collection('items');
    expect(await items.countDocuments()).toBe(0);
    await items.insertOne({ _id: 'a' as never, n: 1 });
    expect(await items.find().toArray()).toEqual([{ _id: 'a', n: 1 }]);
  });
  // and it stays a database the server opens as any other
  await withServer(async (client) => {
    expect(await client.db('cut_short').collection('items').countDocuments()).toBe(1);
  });
});

test('dropping a database removes its WAL and shared-memory files, and the name starts afresh', async () => {
  await withServer(async (client) => {
    const db = client.db('dropped');
    await db.collection('items').insertMany([{ n: 1 }, { n: 2 }]);
    expect(filesOf('dropped').sort()).toEqual(['dropped.sqlite', 'dropped.sqlite-shm', 'dropped.sqlite-wal']);

    await db.dropDatabase();
    expect(filesOf('dropped')).toEqual([]);

    await db.collection('items').insertOne({ n: 3 });
    expect(
      await db
        .collection('items')
        .find({}, { projection: { _id: 0 } })
        .toArray(),
    ).toEqual([{ n: 3 }]);
  });
  expect(existsSync(join(dataDir, 'dropped.sqlite'))).toBe(true);
});
