// Shared parts of the failure scripts: submitting load, waiting for the pipeline to drain, and the
// exactness check (every accepted portfolio once in the read models, with core's numbers).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const execFileAsync = promisify(execFile);
import { MongoClient } from 'mongodb';
import {
  calculatePortfolio,
  parseSubmittedPortfolio,
  type PortfolioSubmitted,
} from '../../packages/core/src';
import { createEventCodec, createEventRegistry, createKafka, topicNames } from '../../packages/kafka/src';
import { createLogger } from '../../packages/logging/src';
import { readModelCollections } from '../../packages/read-model/src';
import { readTopic, testAuthorization } from '../../packages/testing/src';
import { loadLine, serverEnv, sleep, type System } from '../../bench/lib';

export const REPO = join(__dirname, '../..');
const logger = createLogger({ service: 'failures', level: 'error' });
export const kafkaClient = () =>
  createKafka({ clientId: 'failures', brokers: serverEnv().KAFKA_BROKERS.split(','), ssl: false }, logger);

const TEMPLATE = JSON.parse(readFileSync(join(REPO, 'examples/requests/one-bank-1-year.json'), 'utf8')) as {
  new_banks: Array<{ new_deposits: Array<{ amount: string }> }>;
};

/** A small portfolio (one bank, two deposits) whose amounts differ with `i`, so numbers differ too. */
export function requestBody(i: number): string {
  const request = structuredClone(TEMPLATE);
  request.new_banks[0]!.new_deposits.forEach(
    (d, k) => (d.amount = `${1000 + i * 3 + k}.${String(i % 100).padStart(2, '0')}`),
  );
  return JSON.stringify(request);
}

/** Fail rather than hang: FerretDB 1.24 (SQLite) has been seen to stop answering on one database. */
const MONGO_OPTIONS = { socketTimeoutMS: 60_000, serverSelectionTimeoutMS: 10_000 };

export function log(message: string): void {
  console.log(`[${new Date().toISOString()} load ${loadLine()}] ${message}`);
}

/** `infra/infra.sh …`, asynchronously, so the load and query loops keep running meanwhile. */
export async function infra(...args: string[]): Promise<string> {
  log(`infra.sh ${args.join(' ')}`);
  const { stdout } = await execFileAsync('bash', [join(REPO, 'infra/infra.sh'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 180_000,
  });
  log(`infra.sh ${args.join(' ')} done`);
  return stdout.trim();
}

export interface LoadResult {
  accepted: Set<string>;
  statuses: Map<string, number>;
  sent: number;
}

/**
 * POSTs small portfolios with `concurrency` in flight until `count` were sent or `until()` says stop.
 * Every answer is counted by status (network errors as `error:<code>`); only 202s are "accepted".
 */
export async function submitLoad(
  commandApi: () => string,
  {
    count,
    concurrency,
    rate,
    until = () => false,
    onProgress = () => undefined,
  }: {
    count: number;
    concurrency: number;
    /** at most this many POSTs per second (a fixed schedule), so the drain stays bounded */
    rate?: number;
    until?: () => boolean;
    onProgress?: (sent: number, accepted: number) => void;
  },
): Promise<LoadResult> {
  const result: LoadResult = { accepted: new Set(), statuses: new Map(), sent: 0 };
  const bump = (key: string) => result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1);
  let next = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count && !until(); i = next++) {
        if (rate !== undefined) {
          const wait = start + (i * 1000) / rate - Date.now();
          if (wait > 0) await sleep(wait);
          if (until()) break;
        }
        result.sent++;
        try {
          const res = await fetch(`${commandApi()}/portfolios`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...testAuthorization() },
            body: requestBody(i),
            signal: AbortSignal.timeout(20_000),
          });
          const body = (await res.json()) as { portfolio_uuid?: string };
          bump(String(res.status));
          if (res.status === 202 && body.portfolio_uuid) result.accepted.add(body.portfolio_uuid);
          else if (res.status === 503) await sleep(200);
        } catch (error) {
          bump(
            `error:${(error as { cause?: { code?: string }; name?: string }).cause?.code ?? (error as Error).name}`,
          );
          await sleep(200);
        }
        onProgress(result.sent, result.accepted.size);
      }
    }),
  );
  return result;
}

/** Waits until the read model holds `expected` calculated portfolios (counted every `everyMs`). */
/**
 * Waits until no portfolio in the read model is left `accepted` and at least every accepted one is
 * calculated. A 202 means its status document exists, so "none left accepted" covers each accepted
 * portfolio, and also those whose POST was answered 503 after their event was published (verify()
 * counts them). Counting calculated documents alone stopped early once: the 503s' portfolios made
 * up the count while two accepted ones were still pending.
 */
export async function waitForReadModel(
  system: System,
  accepted: ReadonlySet<string>,
  maxSeconds: number,
  everyMs = 5000,
): Promise<number> {
  const mongo = await MongoClient.connect(serverEnv().MONGO_URL, MONGO_OPTIONS);
  try {
    const { portfolios } = readModelCollections(mongo.db(system.env.MONGO_DB!), 1);
    const deadline = Date.now() + maxSeconds * 1000;
    let done = 0;
    while (Date.now() < deadline) {
      const counts = await Promise.all([
        portfolios.countDocuments({ status: 'calculated' }),
        portfolios.countDocuments({ status: 'accepted' }),
      ]).catch((error: unknown) => {
        log(`read model count failed: ${(error as Error).message}`);
        return undefined;
      });
      if (counts !== undefined) {
        const [calculated, pending] = counts;
        done = calculated;
        log(`read model: ${calculated} calculated (${accepted.size} accepted), ${pending} still accepted`);
        if (calculated >= accepted.size && pending === 0) return done;
      }
      await sleep(everyMs);
    }
    return done;
  } finally {
    await mongo.close();
  }
}

export interface Verdict {
  accepted: number;
  submittedEvents: number;
  submittedDuplicates: number;
  acceptedMissingFromTopic: number;
  calculatedEvents: number;
  calculatedDuplicates: number;
  calculatedMissing: number;
  readModelMissing: number;
  readModelNotCalculated: number;
  readModelWrongNumbers: number;
  readModelExtra: number;
  banksExpected: number;
  banksFound: number;
  depositsExpected: number;
  depositsFound: number;
  readModelError?: string;
  ok: boolean;
}

/**
 * Reads PortfolioSubmitted back from the topic, PortfolioCalculated read_committed, and the whole
 * portfolios/banks/deposits read models; compares every read-model response with core's
 * calculatePortfolio of the submitted event.
 */
export async function verify(system: System, accepted: Set<string>): Promise<Verdict> {
  const kafka = kafkaClient();
  const topics = topicNames(system.env.KAFKA_TOPIC_PREFIX!);
  const codec = createEventCodec(createEventRegistry({ url: serverEnv().SCHEMA_REGISTRY_URL }, 'failures'), {
    topics,
  });
  const submitted = new Map<string, PortfolioSubmitted>();
  const submittedCount = new Map<string, number>();
  for (const message of await readTopic(kafka, topics.portfolioSubmitted, { timeoutMs: 120_000 })) {
    const event = await codec.decode(message.value!, 'PortfolioSubmitted');
    submitted.set(event.portfolio.uuid, event);
    submittedCount.set(event.portfolio.uuid, (submittedCount.get(event.portfolio.uuid) ?? 0) + 1);
  }
  const calculatedCount = new Map<string, number>();
  for (const message of await readTopic(kafka, topics.portfolioCalculated, { timeoutMs: 120_000 })) {
    const event = await codec.decode(message.value!, 'PortfolioCalculated');
    calculatedCount.set(event.portfolio.uuid, (calculatedCount.get(event.portfolio.uuid) ?? 0) + 1);
  }
  log(
    `Kafka side: ${[...submittedCount.values()].reduce((a, b) => a + b, 0)} submitted events for ${submitted.size} portfolios ` +
      `(${accepted.size} accepted), ${[...calculatedCount.values()].reduce((a, b) => a + b, 0)} calculated (read_committed) ` +
      `for ${calculatedCount.size} portfolios`,
  );
  const docs = new Map<string, { status: string; response?: unknown }>();
  let banksFound = -1;
  let depositsFound = -1;
  let readModelError: string | undefined;
  const mongo = await MongoClient.connect(serverEnv().MONGO_URL, MONGO_OPTIONS);
  try {
    if (process.env.FAILURE_SKIP_READ_MODEL === '1') throw new Error('skipped (FAILURE_SKIP_READ_MODEL=1)');
    const collections = readModelCollections(mongo.db(system.env.MONGO_DB!), 1);
    for await (const doc of collections.portfolios.find({}, { projection: { status: 1 } }))
      docs.set(doc._id, { status: doc.status });
    for await (const doc of collections.results.find({})) {
      const known = docs.get(doc._id);
      if (known !== undefined) known.response = doc.response;
    }
    banksFound = await collections.banks.countDocuments({});
    depositsFound = await collections.deposits.countDocuments({});
  } catch (error) {
    readModelError = (error as Error).message;
    log(`the read models could not be read: ${readModelError}`);
  } finally {
    await mongo.close();
  }

  const v: Verdict = {
    accepted: accepted.size,
    submittedEvents: [...submittedCount.values()].reduce((a, b) => a + b, 0),
    submittedDuplicates: [...submittedCount.values()].filter((n) => n > 1).length,
    acceptedMissingFromTopic: [...accepted].filter((uuid) => !submitted.has(uuid)).length,
    calculatedEvents: [...calculatedCount.values()].reduce((a, b) => a + b, 0),
    calculatedDuplicates: [...calculatedCount.values()].filter((n) => n > 1).length,
    calculatedMissing: [...submitted.keys()].filter((uuid) => !calculatedCount.has(uuid)).length,
    readModelMissing: 0,
    readModelNotCalculated: 0,
    readModelWrongNumbers: 0,
    readModelExtra: [...docs.keys()].filter((uuid) => !submitted.has(uuid)).length,
    banksExpected: 0,
    banksFound,
    depositsExpected: 0,
    depositsFound,
    ...(readModelError === undefined ? {} : { readModelError }),
    ok: false,
  };
  const wrong: string[] = [];
  for (const [uuid, event] of submitted) {
    v.banksExpected += event.portfolio.new_banks.length;
    v.depositsExpected += event.portfolio.new_banks.reduce((n, b) => n + b.new_deposits.length, 0);
    const doc = docs.get(uuid);
    if (doc === undefined) v.readModelMissing++;
    else if (doc.status !== 'calculated') v.readModelNotCalculated++;
    else if (
      !isDeepStrictEqual(
        JSON.parse(JSON.stringify(doc.response)),
        JSON.parse(JSON.stringify(calculatePortfolio(parseSubmittedPortfolio(event.portfolio)))),
      )
    ) {
      v.readModelWrongNumbers++;
      if (wrong.length < 3) wrong.push(uuid);
    }
  }
  if (wrong.length > 0) log(`wrong numbers, e.g. ${wrong.join(', ')}`);
  v.ok =
    readModelError === undefined &&
    v.acceptedMissingFromTopic === 0 &&
    v.submittedDuplicates === 0 &&
    v.calculatedDuplicates === 0 &&
    v.calculatedMissing === 0 &&
    v.readModelMissing === 0 &&
    v.readModelNotCalculated === 0 &&
    v.readModelWrongNumbers === 0 &&
    v.readModelExtra === 0 &&
    v.banksFound === v.banksExpected &&
    v.depositsFound === v.depositsExpected;
  return v;
}

export async function dropDatabase(system: System): Promise<void> {
  const mongo = await MongoClient.connect(serverEnv().MONGO_URL, MONGO_OPTIONS);
  await mongo
    .db(system.env.MONGO_DB!)
    .dropDatabase()
    .catch(() => undefined);
  await mongo.close();
}

export const statusLine = (statuses: Map<string, number>) =>
  JSON.stringify(Object.fromEntries([...statuses].sort()));

/**
 * A failure script's entry: exits with `main`'s code (0 = the guarantees held). On a crash it
 * prints the error, runs `restore` (e.g. bring the shared servers back up) and exits 2.
 */
export function runFailureScript(main: () => Promise<number>, restore?: () => Promise<unknown>): void {
  main().then(
    (code) => process.exit(code),
    async (error: unknown) => {
      console.error(error);
      await restore?.().catch(() => undefined);
      process.exit(2);
    },
  );
}
