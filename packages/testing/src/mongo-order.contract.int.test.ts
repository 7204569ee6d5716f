// Contract: filters, sorts, skips and limits of the shapes the read models use (equality scope, one
// range or `$ne: null` on the sort key, sort on top-level fields with _id last) answer exactly as
// MongoDB's rules say, checked against an independent model of those rules: null and missing
// first, then numbers (int32, int64 and double compared as numbers), then strings in UTF-8 byte
// order; comparisons are type-bracketed; both directions; ties; skip and limit. On FerretDB the
// same query is also run through its unpatched in-memory path (an `$and` wrapper is never pushed
// down) and must agree, and the pushed-down plan must walk an index (infra/ferretdb/patches).
import { Double, Int32, Long, MongoClient, type Db, type Document, type Filter } from 'mongodb';
import { mongoUrl, uniqueName } from './index';

let client: MongoClient;
let db: Db;
let isFerretDB: boolean;

type Key = null | undefined | number | bigint | string;
interface Case {
  _id: string;
  status: string;
  key: Key;
}

// Keys of every BSON type the model knows, with ties across numeric types (3 as int32, double and
// int64), an int64 beyond double precision, and strings whose UTF-8 and UTF-16 orders differ.
const keys: [model: Key, bson: unknown][] = [
  [undefined, undefined],
  [null, null],
  [-1.5, new Double(-1.5)],
  [0, new Int32(0)],
  [2, new Double(2)],
  [3, new Int32(3)],
  [3, new Double(3)],
  [3n, Long.fromBigInt(3n)],
  [9_007_199_254_740_993n, Long.fromBigInt(9_007_199_254_740_993n)],
  [9_007_199_254_740_992, new Double(9_007_199_254_740_992)],
  [1e300, new Double(1e300)],
  ...['', '10', '9', 'B', 'Z', 'a', 'b', 'e\u0301', 'z', 'é', '\uff21', '𝄞', 'a'].map((k): [Key, unknown] => [
    k,
    k,
  ]),
];
const cases: Case[] = Array.from({ length: 3 }, (_, copy) =>
  keys.map(([key], i) => ({
    _id: `c${String(i).padStart(2, '0')}-${copy}`,
    status: copy === 2 ? 'other' : 'ranked',
    key,
  })),
).flat();

function encode(c: Case): Document {
  const bson = keys[Number(c._id.slice(1, 3))]![1];
  return bson === undefined ? { _id: c._id, status: c.status } : { _id: c._id, status: c.status, key: bson };
}

// MongoDB's order of the types used here: null/missing < numbers < strings.
const rank = (k: Key) => (k === null || k === undefined ? 2 : typeof k === 'string' ? 4 : 3);
function compareKeys(a: Key, b: Key): number {
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'string' && typeof b === 'string')
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  if (rank(a) === 3) {
    // exactly, as MongoDB compares int64 with double: both integral, as bigints; else as doubles
    const [x, y] = [a as number | bigint, b as number | bigint];
    if (
      Number.isInteger(Number(x)) &&
      Number.isInteger(Number(y)) &&
      Math.abs(Number(x)) < 2 ** 63 &&
      Math.abs(Number(y)) < 2 ** 63
    )
      return BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0;
    return Number(x) < Number(y) ? -1 : Number(x) > Number(y) ? 1 : 0;
  }
  return 0;
}

type Op = '$eq' | '$ne' | '$lt' | '$lte' | '$gt' | '$gte';
function matches(k: Key, op: Op, v: Key): boolean {
  if (v === null) {
    const isNull = k === null || k === undefined;
    return op === '$eq' ? isNull : !isNull;
  }
  const sameType = rank(k) === rank(v);
  const c = sameType ? compareKeys(k, v) : NaN;
  switch (op) {
    case '$eq':
      return c === 0;
    case '$ne':
      return !(c === 0);
    case '$lt':
      return c < 0;
    case '$lte':
      return c <= 0;
    case '$gt':
      return c > 0;
    case '$gte':
      return c >= 0;
  }
}

interface Shape {
  label: string;
  filter: Filter<Document>;
  status?: string;
  conditions: [Op, Key][];
}
const shapes: Shape[] = [
  { label: 'scope only', filter: { status: 'ranked' }, status: 'ranked', conditions: [] },
  {
    label: '$ne null',
    filter: { status: 'ranked', key: { $ne: null } },
    status: 'ranked',
    conditions: [['$ne', null]],
  },
  {
    label: 'equal null',
    filter: { status: 'ranked', key: null },
    status: 'ranked',
    conditions: [['$eq', null]],
  },
  {
    label: 'equal string',
    filter: { status: 'ranked', key: 'a' },
    status: 'ranked',
    conditions: [['$eq', 'a']],
  },
  { label: 'equal number', filter: { status: 'ranked', key: 3 }, status: 'ranked', conditions: [['$eq', 3]] },
  {
    label: 'string range $gt',
    filter: { status: 'ranked', key: { $gt: 'B' } },
    status: 'ranked',
    conditions: [['$gt', 'B']],
  },
  {
    label: 'string range $lte',
    filter: { status: 'ranked', key: { $lte: 'b' } },
    status: 'ranked',
    conditions: [['$lte', 'b']],
  },
  {
    label: 'number range $lt',
    filter: { status: 'ranked', key: { $lt: 3 } },
    status: 'ranked',
    conditions: [['$lt', 3]],
  },
  {
    label: 'number range $gte',
    filter: { status: 'ranked', key: { $gte: 3 } },
    status: 'ranked',
    conditions: [['$gte', 3]],
  },
  {
    label: 'two bounds',
    filter: { status: 'ranked', key: { $gt: '', $lt: 'z' } },
    status: 'ranked',
    conditions: [
      ['$gt', ''],
      ['$lt', 'z'],
    ],
  },
  { label: 'no scope', filter: { key: { $gte: 'a' } }, conditions: [['$gte', 'a']] },
];
const pages: [skip: number, limit: number][] = [
  [0, 0],
  [0, 1],
  [0, 4],
  [3, 5],
];

function expected(shape: Shape, direction: 1 | -1, skip: number, limit: number): string[] {
  const selected = cases
    .filter((c) => shape.status === undefined || c.status === shape.status)
    .filter((c) => shape.conditions.every(([op, v]) => matches(c.key, op, v)))
    .sort((a, b) => direction * (compareKeys(a.key, b.key) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)));
  return selected.slice(skip, limit === 0 ? undefined : skip + limit).map((c) => c._id);
}

beforeAll(async () => {
  client = new MongoClient(mongoUrl());
  await client.connect();
  db = client.db(uniqueName('order'));
  isFerretDB = 'ferretdbVersion' in (await db.admin().command({ buildInfo: 1 }));
  await db.collection('cases').createIndex({ status: 1, key: 1, _id: 1 }, { name: 'status_key' });
  await db.collection('cases').insertMany(cases.map(encode));
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe.each(shapes)('$label', (shape) => {
  test.each([1, -1] as const)('sort direction %d, every page, matches the model', async (direction) => {
    const cases = db.collection('cases');
    for (const [skip, limit] of pages) {
      const sort = { key: direction, _id: direction } as const;
      const got = await cases.find(shape.filter, { sort, skip, limit }).toArray();
      expect({ skip, limit, ids: got.map((d) => d._id) }).toEqual({
        skip,
        limit,
        ids: expected(shape, direction, skip, limit),
      });
      if (isFerretDB) {
        const inMemory = await cases.find({ $and: [shape.filter] }, { sort, skip, limit }).toArray();
        expect(got).toEqual(inMemory);
      }
    }
  });
});

test('on FerretDB, every shape with a scope is pushed down and walks the index without a sort', async () => {
  const cases = db.collection('cases');
  for (const shape of shapes.filter((s) => s.status !== undefined)) {
    for (const direction of [1, -1] as const) {
      const explain = await cases
        .find(shape.filter, { sort: { key: direction, _id: direction }, limit: 4 })
        .explain();
      const plan = JSON.stringify(explain.queryPlanner);
      if (isFerretDB) {
        expect({
          shape: shape.label,
          sortPushdown: explain.sortPushdown,
          limitPushdown: explain.limitPushdown,
        }).toEqual({
          shape: shape.label,
          sortPushdown: true,
          limitPushdown: true,
        });
        expect({ shape: shape.label, plan }).toEqual({
          shape: shape.label,
          plan: expect.stringMatching(/SEARCH \S+ USING INDEX \S+_status_key/),
        });
        expect({ shape: shape.label, plan }).toEqual({
          shape: shape.label,
          plan: expect.not.stringMatching(/TEMP B-TREE|SCAN \S+"/),
        });
      } else {
        expect(plan).toContain('IXSCAN');
        expect(plan).not.toMatch(/"stage":"SORT"/);
      }
    }
  }
});
