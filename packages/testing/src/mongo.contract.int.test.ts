// Contract: the MongoDB the tests get does what the read models rely on. Locally that is FerretDB v1
// (SQLite backend); the query-plan test states what each engine really does.
import { MongoClient, MongoServerError, type Db, type Document } from 'mongodb';
import { mongoUrl, uniqueName } from './index';

let client: MongoClient;
let db: Db;
let isFerretDB: boolean;

/** Read-model documents are keyed by uuid strings, not ObjectIds. */
type Keyed = { _id: string } & Document;

beforeAll(async () => {
  client = new MongoClient(mongoUrl());
  await client.connect();
  db = client.db(uniqueName('contract'));
  isFerretDB = 'ferretdbVersion' in (await db.admin().command({ buildInfo: 1 }));
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

test('a unique compound index rejects a duplicate pair and accepts pairs that differ in one field', async () => {
  const deposits = db.collection<Keyed>('deposits');
  await deposits.createIndex({ bank_uuid: 1, account: 1 }, { unique: true, name: 'bank_account_unique' });
  await deposits.insertMany([
    { _id: 'd1', bank_uuid: 'b1', account: '001' },
    { _id: 'd2', bank_uuid: 'b1', account: '002' },
    { _id: 'd3', bank_uuid: 'b2', account: '001' },
  ]);
  const duplicate = await deposits
    .insertOne({ _id: 'd4', bank_uuid: 'b1', account: '001' })
    .catch((e: unknown) => e);
  expect(duplicate).toBeInstanceOf(MongoServerError);
  expect((duplicate as MongoServerError).code).toBe(11000);
  expect(await deposits.countDocuments()).toBe(3);
});

test('bulkWrite upserts insert once and converge on replay', async () => {
  const portfolios = db.collection<Keyed>('portfolios');
  const ops = ['p1', 'p2', 'p3'].map((id, i) => ({
    updateOne: {
      filter: { _id: id },
      update: { $setOnInsert: { status: 'accepted', created_at: `2026-01-0${i + 1}T00:00:00.000Z` } },
      upsert: true,
    },
  }));
  const first = await portfolios.bulkWrite(ops, { ordered: false });
  expect(first.upsertedCount).toBe(3);

  const calculated = {
    updateOne: {
      filter: { _id: 'p2' },
      update: { $set: { status: 'calculated', growth_key: '0003246' } },
      upsert: true,
    },
  };
  const replay = await portfolios.bulkWrite([...ops, calculated], { ordered: false });
  expect(replay.upsertedCount).toBe(0);
  expect(replay.matchedCount).toBe(4);
  expect(await portfolios.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
    { _id: 'p1', status: 'accepted', created_at: '2026-01-01T00:00:00.000Z' },
    { _id: 'p2', status: 'calculated', created_at: '2026-01-02T00:00:00.000Z', growth_key: '0003246' },
    { _id: 'p3', status: 'accepted', created_at: '2026-01-03T00:00:00.000Z' },
  ]);
});

test('find with sort + limit returns the top items in index order; the plan is what the engine really does', async () => {
  const ranked = db.collection<Keyed>('ranked');
  const index = { status: 1, growth_key: -1, created_at: 1, _id: 1 };
  await ranked.createIndex(index, { name: 'status_growth' });
  await ranked.insertMany(
    Array.from({ length: 40 }, (_, i) => ({
      _id: `r${String(i).padStart(2, '0')}`,
      status: i % 4 === 0 ? 'failed' : 'calculated',
      growth_key: `0004${String(1000 + (i % 10)).slice(1)}`, // ties on purpose
      created_at: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
    })),
  );
  const query = () =>
    ranked.find({ status: 'calculated' }, { sort: { growth_key: -1, created_at: 1, _id: 1 }, limit: 3 });

  expect(await query().toArray()).toEqual([
    { _id: 'r09', status: 'calculated', growth_key: '0004009', created_at: '2026-01-01T00:00:09.000Z' },
    { _id: 'r19', status: 'calculated', growth_key: '0004009', created_at: '2026-01-01T00:00:19.000Z' },
    { _id: 'r29', status: 'calculated', growth_key: '0004009', created_at: '2026-01-01T00:00:29.000Z' },
  ]);
  expect((await ranked.indexes()).map((i) => i.name)).toContain('status_growth');

  const explain: Document = await query().explain();
  if (isFerretDB) {
    // Unpatched FerretDB 1.x pushes down only `_id` equality and scans and sorts in Go; with
    // infra/ferretdb/patches SQLite walks the index (mixed directions included) and sorts nothing.
    expect(explain).toMatchObject({ filterPushdown: true, sortPushdown: true, limitPushdown: true });
    expect(JSON.stringify(explain.queryPlanner)).toMatch(/SEARCH \S+ USING INDEX \S+_status_growth/);
    expect(JSON.stringify(explain.queryPlanner)).not.toMatch(/TEMP B-TREE/);
  } else {
    // MongoDB: the winning plan walks the index and has no blocking SORT stage.
    const stages = stageNames(explain.queryPlanner);
    expect(stages).toContain('IXSCAN');
    expect(stages).not.toContain('SORT');
    expect(JSON.stringify(explain.queryPlanner)).toContain('status_growth');
  }
});

test('finds, updates and upserts by _id look the document up in the _id index', async () => {
  // The projector writes and the status route reads by _id only. On FerretDB this holds only with
  // infra/ferretdb/patches (unpatched 1.24.2 scans the table: 40 ms per findOne at 20k documents).
  const byId = db.collection<Keyed>('by_id');
  await byId.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `k${i}`, n: i })));
  const explain: Document = await byId.find({ _id: 'k7' }).explain();
  // the command API's idempotency-key updates: _id plus conditions on the stored state
  const withConditions: Document = await byId
    .find({ _id: 'k7', state: 'pending', reserved_at: new Date(0) })
    .explain();
  if (isFerretDB) {
    expect(explain).toMatchObject({ filterPushdown: true });
    expect(JSON.stringify(explain.queryPlanner)).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
    expect(JSON.stringify(withConditions.queryPlanner)).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
  } else {
    expect(
      stageNames(explain.queryPlanner).some(
        (s) => s === 'IDHACK' || s === 'EXPRESS_IXSCAN' || s === 'IXSCAN',
      ),
    ).toBe(true);
  }
  await byId.bulkWrite(
    [
      { updateOne: { filter: { _id: 'k7' }, update: { $set: { n: 70 } }, upsert: true } },
      { updateOne: { filter: { _id: 'k99' }, update: { $set: { n: 99 } }, upsert: true } },
    ],
    { ordered: false },
  );
  expect(await byId.findOne({ _id: 'k7' })).toEqual({ _id: 'k7', n: 70 });
  expect(await byId.findOne({ _id: 'k99' })).toEqual({ _id: 'k99', n: 99 });
  expect(await byId.countDocuments()).toBe(51);
});

test('a bulkWrite of 250 updates of existing documents returns (one command, more statements than a connection pool)', async () => {
  // The projector sends hundreds of updates per bulkWrite. Unpatched FerretDB 1.24.2 holds a pooled
  // connection per statement until the command ends and hangs at statement 101 (infra/ferretdb/patches).
  const many = db.collection<Keyed>('many_updates');
  await many.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: `m${i}`, n: -1 })));
  const updates = Array.from({ length: 250 }, (_, i) => ({
    updateOne: { filter: { _id: `m${i}` }, update: { $set: { n: i } }, upsert: true },
  }));
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('the bulkWrite did not return within 30 s: the server hangs')),
      30_000,
    );
  });
  const result = await Promise.race([many.bulkWrite(updates, { ordered: false }), hung]).finally(() =>
    clearTimeout(timer),
  );
  expect(result.matchedCount).toBe(250);
  expect(await many.countDocuments({ n: { $gte: 0 } })).toBe(250);
  // and the database still answers
  expect(await many.findOne({ _id: 'm249' })).toEqual({ _id: 'm249', n: 249 });
});

test('projections return only the fields asked for, nested ones included', async () => {
  const banks = db.collection<Keyed>('banks');
  await banks.insertOne({
    _id: 'b1',
    bank_name: 'First',
    outcome: { delta: { growth: '12.34', period: '1' }, maturity: { amount: '1012.34' } },
    created_at: '2026-01-01T00:00:00.000Z',
  });
  const [withNested] = await banks
    .find({ _id: 'b1' }, { projection: { _id: 0, bank_name: 1, 'outcome.delta.growth': 1 } })
    .toArray();
  expect(withNested).toEqual({ bank_name: 'First', outcome: { delta: { growth: '12.34' } } });
  const [excluded] = await banks.find({ _id: 'b1' }, { projection: { outcome: 0 } }).toArray();
  expect(excluded).toEqual({ _id: 'b1', bank_name: 'First', created_at: '2026-01-01T00:00:00.000Z' });
});

function stageNames(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(stageNames);
  if (plan === null || typeof plan !== 'object') return [];
  return Object.entries(plan).flatMap(([key, value]) =>
    key === 'stage' && typeof value === 'string' ? [value] : stageNames(value),
  );
}
