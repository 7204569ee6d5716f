// Bad input against the real command API and query API processes: property-based (fast-check)
// mutations of a valid request that each make it invalid, raw bodies no JSON parser should accept,
// wrong content types, an oversized body, and operator-shaped strings in ids, headers and query
// parameters. Every answer must be a problem+json 4xx (never a 5xx) and both services stay up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildServices,
  REPO_ROOT,
  testToken,
  startServiceProcess,
  uniqueName,
  type ServiceProcess,
} from '@drive-deposits/testing';

const name = uniqueName('fuzz');
const env = {
  KAFKA_TOPIC_PREFIX: `${name}.`,
  KAFKA_TOPIC_PARTITIONS: '1',
  MONGO_DB: name.replace(/-/g, '_'),
};
const services: ServiceProcess[] = [];
const url = (service: string) => services.find((s) => s.name === service)!.url;
const VALID = JSON.parse(
  readFileSync(join(REPO_ROOT, 'examples/requests/two-banks-2-weeks.json'), 'utf8'),
) as Record<string, any>;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let sent = 0;
// Every request carries a valid token (packages/testing's key) unless a test fuzzes the header itself.
let authorization: { Authorization: string };
const failures: string[] = [];

interface Answer {
  status: number;
  contentType: string;
  body: any;
}

async function send(what: string, input: string, init: RequestInit): Promise<Answer> {
  sent++;
  const res = await fetch(input, init);
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const answer = { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
  const problem =
    answer.status >= 400 &&
    answer.status < 500 &&
    answer.contentType.startsWith('application/problem+json') &&
    typeof body === 'object' &&
    body !== null &&
    typeof body.type === 'string' &&
    typeof body.title === 'string' &&
    body.status === answer.status &&
    typeof body.detail === 'string';
  if (!problem && failures.length < 20) {
    failures.push(`${what}: ${answer.status} ${answer.contentType} ${text.slice(0, 300)}`);
  }
  return answer;
}

const postRaw = (what: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  send(what, `${url('command-api')}/portfolios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization, ...headers },
    body,
  });
const getQuery = (path: string, headers: Record<string, string> = authorization) =>
  send(`GET ${path.slice(0, 200)}`, `${url('query-api')}${path}`, { headers });

beforeAll(async () => {
  authorization = { Authorization: `Bearer ${await testToken()}` };
  buildServices();
  for (const service of ['query-api', 'command-api'] as const) {
    services.push(await startServiceProcess(service, env));
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
});

// ---- mutations of a valid request, each one guaranteed to make it invalid ----

type Path = Array<string | number>;
const DEPOSIT_FIELDS = ['account', 'account_type', 'apy', 'years', 'amount', 'start_date_in_bank_tz'];
const depositPath = fc
  .tuple(fc.constantFrom(0, 1), fc.constantFrom(...DEPOSIT_FIELDS))
  .map(([bank, field]): Path => ['new_banks', bank, 'new_deposits', 0, field]);
const scalarPath = fc.oneof(
  depositPath,
  fc.constantFrom<Path>(
    ['new_delta', 'period'],
    ['new_delta', 'period_unit'],
    ['new_banks', 0, 'name'],
    ['new_banks', 1, 'bank_tz'],
  ),
);
const containerPath = fc.constantFrom<Path>(
  [],
  ['new_delta'],
  ['new_banks'],
  ['new_banks', 0],
  ['new_banks', 0, 'new_deposits'],
  ['new_banks', 1, 'new_deposits', 0],
);
const objectPath = fc.constantFrom<Path>(
  [],
  ['new_delta'],
  ['new_banks', 0],
  ['new_banks', 1, 'new_deposits', 0],
);
const requiredPath = fc.oneof(
  scalarPath,
  fc.constantFrom<Path>(['new_delta'], ['new_banks'], ['new_banks', 0, 'new_deposits']),
);

const deep = (depth: number, leaf: unknown, kind: 'array' | 'object') => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
};
const OPERATORS = [{ $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }, { $regex: '.*' }, '{"$gt":""}'];
/** a value of the wrong JSON type for a string field */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constantFrom(...OPERATORS.filter((o) => typeof o !== 'string')),
  fc.integer({ min: 100, max: 3000 }).map((d) => deep(d, 1, 'array')),
  fc.integer({ min: 100, max: 3000 }).map((d) => deep(d, 1, 'object')),
);
const BAD_DECIMALS = [
  '',
  ' 1',
  '1 ',
  '-1',
  '-0.01',
  '1e5',
  '1E2',
  'NaN',
  'Infinity',
  '0x10',
  '1,5',
  '1.',
  '.5',
  '1.00000000001',
  '١٢',
  '１',
  '1_000',
  '0.1.2',
  '$1',
  '{"$gt":""}',
];
const badValueFor = (field: string | number): fc.Arbitrary<unknown> => {
  switch (field) {
    case 'apy':
      return fc.oneof(
        fc.constantFrom(...BAD_DECIMALS, '1000.01', '1001', '99999999999999999999'),
        notAString,
      );
    case 'years':
      return fc.oneof(
        fc.constantFrom(...BAD_DECIMALS, '0', '0.0', '100.0000000001', '101', '1000000'),
        notAString,
      );
    case 'amount':
      return fc.oneof(fc.constantFrom(...BAD_DECIMALS, '1000000000000.01', '1' + '0'.repeat(30)), notAString);
    case 'period':
      return fc.oneof(fc.constantFrom(...BAD_DECIMALS, '0', '0.0000000000'), notAString);
    case 'period_unit':
      return fc.oneof(
        fc.constantFrom('Unspecified', 'month', 'MONTH', 'Century', '', 'Day ', '{"$gt":""}'),
        notAString,
      );
    case 'account_type':
      return fc.oneof(
        fc.constantFrom('Unspecified', 'checking', '', 'Checking\u0000', '{"$ne":null}'),
        notAString,
      );
    case 'start_date_in_bank_tz':
      return fc.oneof(
        fc.constantFrom(
          '2023-02-29',
          '2023-13-01',
          '2023-00-10',
          '2023-04-31',
          '2023-1-1',
          '20230101',
          '2023-01-01T00:00:00Z',
          '0000-00-00',
          '9999-99-99',
          '',
          '2023/01/01',
          '{"$gt":""}',
        ),
        notAString,
      );
    case 'bank_tz':
      return fc.oneof(
        fc.constantFrom(
          'America/Chicag',
          'Mars/Olympus',
          '../../etc/passwd',
          '',
          'UTC+25',
          '{"$gt":""}',
          'x'.repeat(65),
        ),
        notAString,
      );
    case 'name':
      return fc.oneof(
        fc.constant(''),
        fc.integer({ min: 201, max: 200_000 }).map((n) => 'N'.repeat(n)),
        notAString,
      );
    case 'account':
      return fc.oneof(
        fc.constantFrom('', 'abc', '{"$gt":""}'.repeat(7)),
        fc.integer({ min: 65, max: 100_000 }).map((n) => 'A'.repeat(n)),
        notAString,
      );
    default:
      return notAString;
  }
};

const clone = () => structuredClone(VALID);
function at(root: any, path: Path): any {
  return path.reduce((node, key) => node[key], root);
}
function setAt(root: any, path: Path, value: unknown) {
  at(root, path.slice(0, -1))[path.at(-1)!] = value;
}

const KNOWN_FIELDS = [
  'new_delta',
  'new_banks',
  'period',
  'period_unit',
  'name',
  'bank_tz',
  'new_deposits',
  ...DEPOSIT_FIELDS,
];
const EXTRA_KEYS = fc.oneof(
  fc.constantFrom('$gt', '$where', '__proto__', 'constructor', 'prototype', 'extra', 'NEW_DELTA', 'uuid'),
  fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !KNOWN_FIELDS.includes(k)),
);

const badRequest: fc.Arbitrary<{ what: string; body: string }> = fc.oneof(
  scalarPath.chain((path) =>
    badValueFor(path.at(-1)!).map((value) => {
      const request = clone();
      setAt(request, path, value);
      return {
        what: `${path.join('.')} = ${String(JSON.stringify(value)).slice(0, 80)}`,
        body: JSON.stringify(request),
      };
    }),
  ),
  requiredPath.map((path) => {
    const request = clone();
    delete at(request, path.slice(0, -1))[path.at(-1)!];
    return { what: `missing ${path.join('.')}`, body: JSON.stringify(request) };
  }),
  fc.tuple(objectPath, EXTRA_KEYS, fc.jsonValue({ maxDepth: 2 })).map(([path, key, value]) => {
    const request = clone();
    // JSON text, so "__proto__" arrives as an own property exactly as a client would send it
    const target = JSON.stringify(at(request, path));
    const withExtra = `{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'},${target.slice(1)}`;
    const text = path.length === 0 ? withExtra : JSON.stringify(request).replace(target, withExtra);
    return { what: `extra ${[...path, key].join('.')}`, body: text };
  }),
  fc.tuple(containerPath, notAString).map(([path, value]) => {
    const request = path.length === 0 ? value : clone();
    if (path.length > 0) setAt(request, path, value);
    return { what: `container ${path.join('.') || '(root)'} replaced`, body: JSON.stringify(request) };
  }),
  fc.constantFrom<Path>(['new_banks'], ['new_banks', 0, 'new_deposits']).map((path) => {
    const request = clone();
    setAt(request, path, []);
    return { what: `empty ${path.join('.')}`, body: JSON.stringify(request) };
  }),
);

describe('fuzzing the HTTP APIs with bad input', () => {
  it(`answers 600 generated invalid portfolio requests with 400 problems (seed ${SEED})`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(badRequest, async ({ what, body }) => {
        const { status } = await postRaw(what, body);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        return status === 400 || status === 413;
      }),
      { numRuns: 600, seed: SEED },
    );
    expect(failures).toEqual([]);
    expect(statuses.get(400)).toBeGreaterThan(500);
  }, 60_000);

  it('answers malformed JSON, wrong content types, odd methods, oversized bodies and bad headers with problems', async () => {
    const answers: Answer[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200, unit: 'binary' }).filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return s.trim().length > 0;
          }
        }),
        async (text) => {
          answers.push(await postRaw(`malformed ${JSON.stringify(text).slice(0, 60)}`, text));
        },
      ),
      { numRuns: 150, seed: SEED },
    );
    const body = JSON.stringify(VALID);
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/{"$gt":""}',
      '',
    ]) {
      answers.push(await postRaw(`content-type ${type}`, body, { 'content-type': type }));
    }
    for (const json of ['null', '[]', '"x"', '1', 'true', '{}', '[{"$gt":""}]', '{"$gt":""}']) {
      answers.push(await postRaw(`json ${json}`, json));
    }
    const big = JSON.stringify({ ...VALID, padding: 'x'.repeat(1024 * 1024 + 10) });
    const oversized = await postRaw('oversized body', big);
    expect(oversized.status).toBe(413);
    answers.push(oversized);
    const deepBody = '['.repeat(200_000) + ']'.repeat(200_000);
    answers.push(await postRaw('200k-deep array', deepBody));
    answers.push(await postRaw('gzip claimed', body, { 'content-encoding': 'gzip' }));
    answers.push(await postRaw('truncated', body.slice(0, body.length / 2)));
    for (const key of ['', '{"$gt":""}', 'x'.repeat(10_000), '\u00ff\u00fe']) {
      answers.push(
        await postRaw(`idempotency-key ${key.slice(0, 20)}`, '{"bad":true}', { 'idempotency-key': key }),
      );
    }
    for (const prefer of ['wait=-1', 'wait=abc', 'wait=1e9', 'wait={"$gt":""}']) {
      answers.push(await postRaw(`prefer ${prefer}`, '{"bad":true}', { prefer }));
    }
    for (const method of ['PUT', 'DELETE', 'PATCH', 'GET']) {
      answers.push(
        await send(method, `${url('command-api')}/portfolios`, {
          method,
          headers: { 'content-type': 'application/json' },
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(answers.every((a) => a.status >= 400 && a.status < 500)).toBe(true);
  }, 60_000);

  it('answers bad and operator-shaped query parameters and ids with 400/404 problems', async () => {
    const ROUTES = [
      '/by-level-for-portfolios/delta-growth',
      '/portfolios/{uuid}/by-level-for-banks/delta-growth',
      '/portfolios/{uuid}/by-level-for-deposits/delta-growth',
      '/portfolios/{uuid}/by-level-for-deposits/maturity-date',
      '/portfolios/{uuid}',
    ];
    const badUuid = fc.oneof(
      fc.constantFrom(
        '%7B%22%24gt%22%3A%22%22%7D',
        '%24gt',
        '{"$gt":""}',
        '00000000-0000-4000-8000-00000000000G',
        '00000000-0000-4000-8000-00000000000A',
        'null',
        '..%2F..%2Fetc',
        '%00',
        'x'.repeat(5000),
      ),
      fc.string({ minLength: 1, maxLength: 60 }).map(encodeURIComponent),
    );
    const unknownUuid = fc.uuid({ version: 4 });
    const badParam = fc.oneof(
      fc.constantFrom(
        'order[$gt]=',
        'order[$ne]=asc',
        'order=ASC',
        'order=',
        'order=asc&order=desc',
        'order[]=asc',
        'top_k=-1',
        'top_k=1001',
        'top_k=1e2',
        'top_k=abc',
        'top_k=1.5',
        'top_k[$gt]=0',
        'top_k=99999999999999999999',
        'cursor=%7B%22%24gt%22%3A%22%22%7D',
        'cursor=AAAA',
        'cursor[$gt]=',
        'period=0&period_unit=Day',
        'period=1',
        'period_unit=Day',
        'period=abc&period_unit=Day',
        'period=1&period_unit=Century',
        'period[$gt]=&period_unit=Day',
        'period_unit[$ne]=x&period=1',
      ),
      fc
        .tuple(fc.constantFrom('order', 'top_k', 'cursor'), fc.string({ minLength: 1, maxLength: 40 }))
        .filter(([key, value]) => !(key === 'order' && ['asc', 'desc'].includes(value)))
        .filter(([key, value]) => !(key === 'top_k' && /^\s*\+?\d+\s*$/.test(value) && Number(value) <= 1000))
        .map(([key, value]) => `${key}=${encodeURIComponent(value)}`),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constantFrom(...ROUTES.filter((r) => r.includes('{uuid}'))), badUuid, fc.constant('')),
          fc.tuple(fc.constantFrom(...ROUTES.filter((r) => r.includes('by-level'))), unknownUuid, badParam),
          // the status lookup of an unknown portfolio
          fc.tuple(fc.constant('/portfolios/{uuid}'), unknownUuid, fc.constant('')),
        ),
        async ([route, uuid, query]) => {
          const path = route.replace('{uuid}', uuid) + (query === '' ? '' : `?${query}`);
          const { status } = await getQuery(path);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          return status === 400 || status === 404;
        },
      ),
      { numRuns: 400, seed: SEED },
    );
    expect(failures).toEqual([]);
  }, 60_000);

  it('the Authorization header: every mangled, forged, unsigned or oversized token is a 401 problem on both APIs', async () => {
    const valid = await testToken();
    const [head, payload] = valid.split('.') as [string, string, string];
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const header = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 200 }).map((t) => `Bearer ${t}`),
      fc.constantFrom('Bearer', 'Basic dXNlcjpwYXNz', 'bearer  ', `Bearer ${valid} extra`, `Token ${valid}`),
      // a cut, or one character changed in the header or payload (the signature no longer matches)
      fc.nat({ max: valid.length - 2 }).map((cut) => `Bearer ${valid.slice(0, cut)}`),
      fc
        .tuple(fc.nat({ max: head.length + payload.length }), fc.constantFrom('A', 'z', '9'))
        .map(([at, c]) => `Bearer ${valid.slice(0, at)}${c}${valid.slice(at + 1)}`)
        .filter((h) => h !== `Bearer ${valid}`),
      // alg none, with claims that would otherwise be accepted
      fc.constantFrom(
        `Bearer ${b64({ alg: 'none' })}.${payload}.`,
        `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${payload}`,
      ),
      // an expired copy of the valid claims, signed with nothing
      fc.constant(`Bearer ${head}.${b64({ ...claims, exp: 1 })}.${valid.split('.')[2]}`),
      fc.integer({ min: 8200, max: 15000 }).map((n) => `Bearer ${'A'.repeat(n)}`),
    );
    const sendable = header.filter((h) => /^[\t\x20-\x7e]*$/.test(h) && h.trim() === h);
    const uuid = '6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b';
    await fc.assert(
      fc.asyncProperty(sendable, fc.boolean(), async (value, command) => {
        // replaces the valid token postRaw and getQuery send otherwise ('' sends an empty header)
        const headers = { Authorization: value };
        const answer = command
          ? await postRaw(`authorization ${value.slice(0, 40)}`, JSON.stringify(VALID), headers)
          : await getQuery(`/portfolios/${uuid}`, headers);
        return answer.status === 401 && answer.body.code === 'DD_UNAUTHENTICATED';
      }),
      { numRuns: 300, seed: SEED },
    );
    expect(failures).toEqual([]);
  }, 60_000);

  it('leaves both services up and still accepting good requests', async () => {
    for (const service of services) {
      const res = await fetch(`${service.url}/healthz`);
      expect(res.status).toBe(200);
      expect(service.child.exitCode).toBeNull();
    }
    const good = await fetch(`${url('command-api')}/portfolios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization },
      body: JSON.stringify(VALID),
    });
    expect(good.status).toBe(202);
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(services.map((s) => s.output()).join('')).not.toMatch(/"level":(50|60)/);
  }, 30_000);
});
