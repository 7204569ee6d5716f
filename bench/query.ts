// Top-k latency and throughput of the query API beside the bare MongoDB driver doing the same
// database work on the same data: `npm run bench:query` (10k and 100k portfolios) and
// `npm run bench:query:1m` (10k, 100k and 1M in one run); `-- --json` prints the figures as JSON.
// MONGO_URL, default the local server; the query API runs as its own process (the built service).
// Loads portfolios (one bank, one or two deposits each)
// straight through read-model's writes, and at each size measures every ranking (first page and a
// keyset page), the per-portfolio rankings and the status lookup, one request at a time and at
// BENCH_CONCURRENCY (8) in flight: BENCH_REQUESTS (default 300) per measurement, at most
// BENCH_MAX_SECONDS (30) each. Issue 11's targets are checked at the end, on the largest size.
import { randomUUID } from 'node:crypto';
import { type AnyBulkWriteOperation, type OptionalUnlessRequiredId } from 'mongodb';
import { performance } from 'node:perf_hooks';
import {
  calculateEvent,
  submitPortfolio,
  type PeriodUnit,
  type PortfolioCalculated,
  type PortfolioRequest,
} from '../packages/core/src';
import { createLogger } from '../packages/logging/src';
import { connectMongo } from '../packages/mongo/src';
import { createReadModelIndexes, readModelCollections } from '../packages/read-model/src';
import { mergeWrites, writesForCalculated, writesForSubmitted } from '../services/projector/src/projection';
import { decodeCursor } from '../services/query-api/src/cursor';
import {
  findRanked,
  rankingQuery,
  type RankingName,
  type RankingPosition,
} from '../services/query-api/src/rankings';
import { buildServices, startServiceProcess, testAuthorization } from '../packages/testing/src';
import { QUERY_TIME_LIMIT_MS } from '../services/query-api/src/routes';
import { figure, jsonRequested, machineLine, printFigures, serverEnv } from './lib';

/** Header lines: stdout, or stderr when --json keeps stdout for the JSON document. */
const say = (line: string) => (jsonRequested() ? process.stderr : process.stdout).write(`${line}\n`);

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** issue 11: at the largest size p50 ≤ 10 ms, p99 ≤ 50 ms; p50 ≤ 2× that at the smallest; API/driver req/s ≥ 0.8 */
const TARGETS = { p50: 10, p99: 50, growth: 2, ratio: 0.8 };
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 30);
const CHUNK = 1000;
const logger = createLogger({ service: 'bench-query', level: 'warn' });

// A few dozen calculated templates, cloned with new ids: the calculation is not what is measured.
const UNITS: PeriodUnit[] = ['Day', 'Week', 'Month', 'Year'];
const templates = Array.from({ length: 48 }, (_, i) => {
  const request: PortfolioRequest = {
    new_delta: { period: String(1 + (i % 12)), period_unit: UNITS[i % 4]! },
    new_banks: [
      {
        name: `BANK-${i % 7}`,
        bank_tz: 'America/Chicago',
        new_deposits: Array.from({ length: 1 + (i % 2) }, (_, d) => ({
          account: `ACCT-${i}-${d}`,
          account_type: 'Savings' as const,
          apy: `${(i % 9) + d}.${i % 10}`,
          years: String(1 + (i % 5)),
          amount: String(1000 * (1 + (i % 13))),
          start_date_in_bank_tz: '2024-01-01',
        })),
      },
    ],
  };
  const ids = {
    newId: randomUUID,
    now: '2024-01-01T00:00:00.000Z',
    correlationId: 'bench',
    eventId: 'bench',
    owner: 'bench',
  };
  return calculateEvent(submitPortfolio(request, ids), { eventId: 'bench' });
});

function clone(template: PortfolioCalculated, n: number): PortfolioCalculated {
  const created_at = new Date(Date.UTC(2024, 0, 1) + Math.floor(n / 3) * 1000).toISOString(); // ties on purpose
  const portfolio = {
    ...template.portfolio,
    uuid: randomUUID(),
    created_at,
    banks: template.portfolio.banks.map((bank) => ({
      ...bank,
      uuid: randomUUID(),
      deposits: bank.deposits.map((deposit) => ({ ...deposit, uuid: randomUUID() })),
    })),
  };
  return { ...template, event_id: randomUUID(), portfolio };
}

/** The document an upsert of a new `_id` creates (portfolio writes of one id merged). */
function inserts<T extends { _id: string }>(
  operations: AnyBulkWriteOperation<T>[],
): OptionalUnlessRequiredId<T>[] {
  const byId = new Map<string, Record<string, unknown>>();
  for (const operation of operations) {
    if ('insertOne' in operation) {
      const doc = operation.insertOne.document as unknown as Record<string, unknown>;
      byId.set(String(doc._id), doc);
    } else if ('replaceOne' in operation) {
      const doc = operation.replaceOne.replacement as unknown as Record<string, unknown>;
      byId.set(String(doc._id), { ...byId.get(String(doc._id)), ...doc });
    } else if ('updateOne' in operation) {
      const id = String((operation.updateOne.filter as { _id: string })._id);
      const update = operation.updateOne.update as { $set?: object; $setOnInsert?: object };
      byId.set(id, { ...byId.get(id), _id: id, ...update.$setOnInsert, ...update.$set });
    }
  }
  return [...byId.values()] as OptionalUnlessRequiredId<T>[];
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * Runs `call` up to REQUESTS times (or MAX_SECONDS) with `concurrency` in flight. Latencies (ms) are
 * of successful calls; a call that fails (e.g. a 503 when MongoDB exceeds the query time limit) is
 * counted with its reason instead of ending the run.
 */
async function measure(call: (i: number) => Promise<void>, concurrency: number) {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const started = performance.now();
  let issued = 0;
  const worker = async () => {
    while (issued < REQUESTS && performance.now() - started < MAX_SECONDS * 1000) {
      const i = issued++;
      const t = performance.now();
      try {
        await call(i);
        latencies.push(performance.now() - t);
      } catch (error) {
        const reason = error instanceof Error ? error.message.slice(0, 80) : String(error);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    n: latencies.length,
    p50: latencies.length ? quantile(latencies, 0.5) : NaN,
    p99: latencies.length ? quantile(latencies, 0.99) : NaN,
    rps: latencies.length / seconds,
    failures,
  };
}
type Measurement = Awaited<ReturnType<typeof measure>>;

const fmt = (m: Measurement) =>
  `p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, ${m.rps.toFixed(0)} req/s (n=${m.n})` +
  Object.entries(m.failures)
    .map(([reason, count]) => `; ${count} failed: ${reason}`)
    .join('');

interface Target {
  label: string;
  /** the query API path of request i */
  path: (i: number) => string;
  /** the same database work through the driver */
  driver: (i: number) => Promise<unknown>;
}

async function main() {
  const url = serverEnv().MONGO_URL;
  const mongo = await connectMongo({ url, db: `bench_query_${Date.now().toString(36)}` }, logger);
  const info = await mongo.db.admin().command({ buildInfo: 1 });
  const engine =
    'ferretdbVersion' in info
      ? `FerretDB ${info.ferretdbVersion} (MongoDB ${info.version} wire)`
      : `MongoDB ${info.version}`;
  say(
    `bench:query on ${engine}; ${REQUESTS} requests, concurrency 1 and ${CONCURRENCY}, ≤${MAX_SECONDS} s each`,
  );
  say(`  [${machineLine()}]`);
  const collections = readModelCollections(mongo.db, 1);
  await createReadModelIndexes(collections);
  // The query API as deployed: its own process (its work and the load generator's on separate
  // event loops, so the ratio to the driver is the API's own cost).
  buildServices();
  const server = await startServiceProcess('query-api', { MONGO_URL: url, MONGO_DB: mongo.db.databaseName });
  const base = server.url;
  const authorization = testAuthorization({ owner: 'bench' });
  const get = async (path: string) => {
    // every portfolio here is owner bench's; the token has every scope (packages/testing's key)
    const res = await fetch(base + path, { headers: authorization });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status} ${body.slice(0, 60)}`);
    return body;
  };
  const options = { maxTimeMS: QUERY_TIME_LIMIT_MS };
  const ranked = (name: RankingName, scope: Record<string, string>, after?: RankingPosition) =>
    findRanked(
      collections[
        name.startsWith('portfolios') ? 'portfolios' : name.startsWith('banks') ? 'banks' : 'deposits'
      ] as never,
      rankingQuery(name, scope, 'desc', after),
      11,
      options,
    );
  const exists = (uuid: string) =>
    collections.portfolios.findOne({ _id: uuid }, { ...options, projection: { _id: 1 } });
  /** portfolios spread over the load, for the per-portfolio routes */
  const picks: string[] = [];
  const results: Record<string, Record<string, { api: Measurement; driver: Measurement }>> = {};
  let loaded = 0;
  try {
    for (const size of SIZES) {
      const loadStart = performance.now();
      const loadedBefore = loaded;
      while (loaded < size) {
        const events = Array.from({ length: Math.min(CHUNK, size - loaded) }, (_, i) =>
          clone(templates[(loaded + i) % templates.length]!, loaded + i),
        );
        const writes = events.flatMap((e) => [
          writesForSubmitted({
            owner: 'bench',
            event_id: e.source_event_id,
            correlation_id: e.correlation_id,
            portfolio: {
              uuid: e.portfolio.uuid,
              created_at: e.portfolio.created_at,
              new_delta: {
                period: e.portfolio.outcome.delta!.period,
                period_unit: e.portfolio.outcome.delta!.period_unit,
              },
              new_banks: [],
            },
          }),
          writesForCalculated(e),
        ]);
        const merged = mergeWrites(writes);
        // Every document is new, so each upsert is an insert: insertMany is the fast path.
        await Promise.all([
          collections.portfolios.insertMany(inserts(merged.portfolios)),
          collections.results.insertMany(inserts(merged.results)),
          collections.banks.insertMany(inserts(merged.banks)),
          collections.deposits.insertMany(inserts(merged.deposits)),
        ]);
        loaded += events.length;
        if (picks.length < 64 && events.length) picks.push(events[0]!.portfolio.uuid);
        if (loaded % 50_000 === 0 || loaded === size) {
          const rate = (loaded - loadedBefore) / ((performance.now() - loadStart) / 1000);
          process.stderr.write(`  loaded ${loaded} portfolios (${rate.toFixed(0)} portfolios/s)\n`);
        }
      }
      figure(
        `bench:query load to ${size}`,
        `${((performance.now() - loadStart) / 1000).toFixed(1)} s for ${size - loadedBefore} portfolios`,
      );
      // A keyset page: the cursor of the first page of the top 10.
      const firstPage = JSON.parse(await get('/by-level-for-portfolios/delta-growth?top_k=10')) as {
        data: { next_cursor: string };
      };
      const cursor = firstPage.data.next_cursor;
      const after = decodeCursor(cursor, 'portfolios_by_growth', 'desc')!;
      const pick = (i: number) => picks[i % picks.length]!;
      const targets: Target[] = [
        {
          label: 'portfolios top 10',
          path: () => '/by-level-for-portfolios/delta-growth?top_k=10',
          driver: () => ranked('portfolios_by_growth', { status: 'calculated' }),
        },
        {
          label: 'portfolios top 10, period 1 Day',
          path: () => '/by-level-for-portfolios/delta-growth?top_k=10&period=1&period_unit=Day',
          driver: () => ranked('portfolios_by_period_growth', { status: 'calculated', period_key: '1|Day' }),
        },
        {
          label: 'portfolios page 2 (keyset cursor)',
          path: () => `/by-level-for-portfolios/delta-growth?top_k=10&cursor=${cursor}`,
          driver: () => ranked('portfolios_by_growth', { status: 'calculated' }, after),
        },
        {
          label: 'banks of a portfolio by growth',
          path: (i) => `/portfolios/${pick(i)}/by-level-for-banks/delta-growth`,
          driver: (i) =>
            Promise.all([exists(pick(i)), ranked('banks_by_growth', { portfolio_uuid: pick(i) })]),
        },
        {
          label: 'deposits of a portfolio by growth',
          path: (i) => `/portfolios/${pick(i)}/by-level-for-deposits/delta-growth`,
          driver: (i) =>
            Promise.all([exists(pick(i)), ranked('deposits_by_growth', { portfolio_uuid: pick(i) })]),
        },
        {
          label: 'deposits of a portfolio by maturity',
          path: (i) => `/portfolios/${pick(i)}/by-level-for-deposits/maturity-date`,
          driver: (i) =>
            Promise.all([exists(pick(i)), ranked('deposits_by_maturity', { portfolio_uuid: pick(i) })]),
        },
        {
          label: 'status of a portfolio',
          path: (i) => `/portfolios/${pick(i)}`,
          driver: (i) =>
            Promise.all([
              collections.portfolios.findOne({ _id: pick(i) }, options),
              collections.results.findOne({ _id: pick(i) }, options),
            ]),
        },
      ];
      for (const target of targets) {
        for (const concurrency of [1, CONCURRENCY]) {
          const apiRun = await measure(async (i) => void (await get(target.path(i))), concurrency);
          const driverRun = await measure(async (i) => void (await target.driver(i)), concurrency);
          const key = `${target.label}, concurrency ${concurrency}`;
          (results[key] ??= {})[size] = { api: apiRun, driver: driverRun };
          figure(
            `bench:query ${size} portfolios, ${key}`,
            `query-api ${fmt(apiRun)} | driver ${fmt(driverRun)} | API/driver req/s ×${(apiRun.rps / driverRun.rps).toFixed(2)}`,
            { size, target: target.label, concurrency, api: apiRun, driver: driverRun },
          );
        }
      }
    }
    checkTargets(results);
  } finally {
    await server.stop();
    await mongo.db.dropDatabase();
    await mongo.close();
  }
  printFigures();
}

/** Issue 11's targets on the largest size, against the smallest for the growth. */
function checkTargets(results: Record<string, Record<string, { api: Measurement; driver: Measurement }>>) {
  const smallest = Math.min(...SIZES);
  const largest = Math.max(...SIZES);
  let met = 0;
  let missed = 0;
  for (const [key, bySize] of Object.entries(results)) {
    const big = bySize[largest]!;
    const small = bySize[smallest]!;
    const checks = [
      [`p50 ${big.api.p50.toFixed(1)} ≤ ${TARGETS.p50} ms`, big.api.p50 <= TARGETS.p50],
      [`p99 ${big.api.p99.toFixed(1)} ≤ ${TARGETS.p99} ms`, big.api.p99 <= TARGETS.p99],
      [
        `p50 ${largest}/${smallest} ×${(big.api.p50 / small.api.p50).toFixed(2)} ≤ ${TARGETS.growth}`,
        big.api.p50 / small.api.p50 <= TARGETS.growth,
      ],
      [
        `API/driver ×${(big.api.rps / big.driver.rps).toFixed(2)} ≥ ${TARGETS.ratio}`,
        big.api.rps / big.driver.rps >= TARGETS.ratio,
      ],
    ] as const;
    const passed = checks.filter(([, ok]) => ok).length;
    met += passed;
    missed += checks.length - passed;
    figure(
      `bench:query targets at ${largest}, ${key}`,
      checks.map(([text, ok]) => `${ok ? 'met' : 'MISSED'} ${text}`).join('; '),
      { key, checks: checks.map(([text, ok]) => ({ text, ok })) },
    );
  }
  figure('bench:query targets', `${met} met, ${missed} missed`, { met, missed });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
