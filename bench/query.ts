// Top-k query latency and throughput of the query API against the bare MongoDB driver on the same
// data: `npm run bench:query` (MONGO_URL, default the local server). Loads 10k, then 100k
// portfolios (one bank, one or two deposits each) straight through read-model's writes, then per
// size runs a bounded number of requests at a fixed concurrency on loopback.
// BENCH_REQUESTS (default 300), BENCH_CONCURRENCY (8), BENCH_MAX_SECONDS per measurement (30).
import { randomUUID } from 'node:crypto';
import { MongoClient, type AnyBulkWriteOperation, type OptionalUnlessRequiredId } from 'mongodb';
import { performance } from 'node:perf_hooks';
import {
  calculateEvent,
  submitPortfolio,
  type PeriodUnit,
  type PortfolioCalculated,
  type PortfolioRequest,
} from '../packages/core/src';
import { startHttpServer } from '../packages/http/src';
import { createLogger } from '../packages/logging/src';
import { connectMongo } from '../packages/mongo/src';
import {
  createReadModelIndexes,
  mergeWrites,
  rankingQuery,
  readModelCollections,
  writesForCalculated,
  writesForSubmitted,
} from '../packages/read-model/src';
import { createMetrics } from '../packages/runtime/src';
import { createQueryApi } from '../services/query-api/src/query-api';
import { QUERY_TIME_LIMIT_MS } from '../services/query-api/src/routes';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
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
 * Runs `call` up to REQUESTS times (or MAX_SECONDS) with CONCURRENCY in flight. Latencies (ms) are
 * of successful calls; a call that fails (e.g. a 503 when MongoDB exceeds the query time limit) is
 * counted with its reason instead of ending the run.
 */
async function measure(call: () => Promise<void>) {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const started = performance.now();
  let issued = 0;
  const worker = async () => {
    while (issued < REQUESTS && performance.now() - started < MAX_SECONDS * 1000) {
      issued++;
      const t = performance.now();
      try {
        await call();
        latencies.push(performance.now() - t);
      } catch (error) {
        const reason = error instanceof Error ? error.message.slice(0, 80) : String(error);
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
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

const fmt = (m: Awaited<ReturnType<typeof measure>>) =>
  `n=${m.n} p50=${m.p50.toFixed(1)} ms p99=${m.p99.toFixed(1)} ms ${m.rps.toFixed(2)} req/s` +
  [...m.failures].map(([reason, count]) => `; ${count} failed: ${reason}`).join('');

async function main() {
  const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/';
  const mongo = await connectMongo({ url, db: `bench_query_${Date.now().toString(36)}` }, logger);
  // for the one unbounded find: no socket timeout (the services' client gives up after 30 s)
  const patient = await MongoClient.connect(url, { socketTimeoutMS: 0 });
  const info = await mongo.db.admin().command({ buildInfo: 1 });
  const engine =
    'ferretdbVersion' in info ? `FerretDB (MongoDB ${info.version} wire)` : `MongoDB ${info.version}`;
  console.log(
    `bench:query on ${engine}; ${REQUESTS} requests max, concurrency ${CONCURRENCY}, ≤${MAX_SECONDS} s each`,
  );
  const collections = readModelCollections(mongo.db, 1);
  await createReadModelIndexes(collections);
  const api = createQueryApi({
    db: mongo.db,
    logger,
    metrics: createMetrics({ service: 'bench-query', defaultMetrics: false }),
    readiness: {},
  });
  const server = await startHttpServer(api, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${server.port}`;
  let loaded = 0;
  let lastLoaded: string | undefined;
  try {
    for (const size of SIZES) {
      const loadStart = performance.now();
      while (loaded < size) {
        const events = Array.from({ length: Math.min(CHUNK, size - loaded) }, (_, i) =>
          clone(templates[(loaded + i) % templates.length]!, loaded + i),
        );
        const writes = events.flatMap((e) => [
          writesForSubmitted({
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
        // Every document is new, so each upsert is an insert: insertMany is the fast path of both
        // engines (FerretDB answers one upsert at a time far more slowly).
        await Promise.all([
          collections.portfolios.insertMany(inserts(merged.portfolios)),
          collections.results.insertMany(inserts(merged.results)),
          collections.banks.insertMany(inserts(merged.banks)),
          collections.deposits.insertMany(inserts(merged.deposits)),
        ]);
        loaded += events.length;
        lastLoaded = events.at(-1)!.portfolio.uuid;
        if (loaded % 10_000 === 0) {
          const rate =
            (loaded - (size === SIZES[0] ? 0 : SIZES[0]!)) / ((performance.now() - loadStart) / 1000);
          process.stdout.write(`  loaded ${loaded} portfolios (${rate.toFixed(0)} portfolios/s)\n`);
        }
      }
      // The last loaded portfolio (a query for "any calculated one" is itself a scan on FerretDB).
      const pick = { _id: lastLoaded! };
      for (const [label, path, name, scope] of [
        [
          'portfolios top 10',
          '/by-level-for-portfolios/delta-growth?top_k=10',
          'portfolios_by_growth',
          { status: 'calculated' },
        ],
        [
          'portfolios top 10, period 1 Month',
          '/by-level-for-portfolios/delta-growth?top_k=10&period=1&period_unit=Month',
          'portfolios_by_period_growth',
          { status: 'calculated', period_key: '1|Month' },
        ],
        [
          'deposits of one portfolio by maturity',
          `/portfolios/${pick!._id}/by-level-for-deposits/maturity-date?top_k=10`,
          'deposits_by_maturity',
          { portfolio_uuid: pick!._id },
        ],
      ] as const) {
        const http = await measure(async () => {
          const res = await fetch(base + path);
          const body = await res.text();
          if (res.status !== 200) throw new Error(`HTTP ${res.status} ${body.slice(0, 60)}`);
        });
        const { ranges, sort } = rankingQuery(name, scope as Record<string, string>, 'desc');
        const filter = ranges[0]!;
        const collection = name.startsWith('portfolios') ? collections.portfolios : collections.deposits;
        // The same find as the query API, with the same time limit, minus HTTP and mapping.
        const driver = await measure(async () => {
          await collection
            .find(filter as never, { sort, limit: 11, maxTimeMS: QUERY_TIME_LIMIT_MS })
            .toArray();
        });
        // Every bounded find timed out: time one without the limit, to say how long it really takes
        let unbounded = '';
        if (driver.n === 0) {
          const t = performance.now();
          const outcome = await patient
            .db(mongo.db.databaseName)
            .collection(collection.collectionName)
            .find(filter as never, { sort, limit: 11 })
            .toArray()
            .then(
              () => 'took',
              (error: unknown) => `failed (${(error as Error).message.slice(0, 60)}) after`,
            );
          unbounded = `  one find without maxTimeMS ${outcome} ${((performance.now() - t) / 1000).toFixed(1)} s\n`;
        }
        console.log(`${size} portfolios, ${label}:`);
        if (unbounded) process.stdout.write(unbounded);
        console.log(`  query-api  ${fmt(http)}`);
        console.log(`  driver     ${fmt(driver)}`);
        console.log(
          `  ratio      p50 ×${(http.p50 / driver.p50).toFixed(2)}, throughput ×${(http.rps / driver.rps).toFixed(2)}`,
        );
      }
    }
  } finally {
    await server.close(1000);
    await mongo.db.dropDatabase();
    await mongo.close();
    await patient.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
