// The whole pipeline's throughput and latency: `npm run bench:pipeline`.
// Per replica count (BENCH_REPLICAS, default "1,3": that many calculator and projector processes in
// one consumer group each; one command API, one query API), on a fresh topic prefix and database:
//  1. peak: BENCH_PORTFOLIOS (2000) POSTs of the spec example portfolio, closed loop with
//     BENCH_CONCURRENCY (32) in flight; sustained portfolios/s = N / (first POST → the read model
//     counts N calculated portfolios).
//  2. latency at half that rate: open loop (fixed schedule) for BENCH_LATENCY_SECONDS (20) or
//     BENCH_LATENCY_PORTFOLIOS (1000); POST start → the portfolio is `calculated` in the read model
//     (each pending portfolio asked of the query API, GET /portfolios/{uuid}, in rounds 100 ms apart; a round's own time is printed).
// The figure is also given as a ratio of the bare kafkajs produce→consume ceiling (bench/broker.ts)
// for the PortfolioSubmitted size, measured first in the same run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { benchKafka, eventSizes, kafkajsLoop } from './broker';
import {
  figure,
  latencySummary,
  machineLine,
  pool,
  progress,
  runBench,
  serverEnv,
  sleep,
  startSystem,
} from './lib';
import { testAuthorization } from '../packages/testing/src';

const REPLICAS = (process.env.BENCH_REPLICAS ?? '1,3').split(',').map(Number);
const PORTFOLIOS = Number(process.env.BENCH_PORTFOLIOS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const LATENCY_PORTFOLIOS = Number(process.env.BENCH_LATENCY_PORTFOLIOS ?? 1000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 180);
const BODY = readFileSync(join(__dirname, '../../shared/spec/examples/portfolio-request-valid.json'), 'utf8');

// one access token for the run, as a client keeps its token until it expires
const AUTHORIZATION = testAuthorization();

async function post(commandApi: string): Promise<{ status: number; uuid?: string }> {
  const res = await fetch(`${commandApi}/portfolios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTHORIZATION },
    body: BODY,
  });
  const body = (await res.json()) as { portfolio_uuid?: string };
  return { status: res.status, uuid: body.portfolio_uuid };
}

/**
 * true when `group`'s committed offsets on `topic` reached the end offsets (less `slack` per
 * partition: a transaction's commit marker takes an offset a consumer never commits past)
 */
async function groupCaughtUp(group: string, topic: string, slack = 0): Promise<boolean> {
  const admin = benchKafka().admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return ends.every(({ partition, high }) => {
      const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return Number(at) >= Number(high) - slack || Number(high) === 0;
    });
  } finally {
    await admin.disconnect();
  }
}

async function runOnce(replicas: number, ceiling: number): Promise<void> {
  console.log(`\n== ${replicas} calculator + ${replicas} projector process(es) ==`);
  const system = await startSystem('bench-pipeline', replicas);
  const mongo = await MongoClient.connect(serverEnv().MONGO_URL);
  const portfolios = mongo
    .db(system.env.MONGO_DB!)
    .collection<{ _id: string; status: string }>('portfolios_v1');
  const commandApi = system.url('command-api');
  try {
    // warm-up: a few portfolios through the whole path (registry caches, connections, JIT)
    await pool(20, 4, async () => void (await post(commandApi)));
    const warm = Date.now() + 60_000;
    while ((await portfolios.countDocuments({ status: 'calculated' })) < 20 && Date.now() < warm)
      await sleep(200);
    const base = await portfolios.countDocuments({ status: 'calculated' });

    // 1. peak
    const statuses = new Map<number, number>();
    const tick = progress('posted', PORTFOLIOS);
    let posted = 0;
    const deadline = Date.now() + MAX_SECONDS * 1000;
    const start = performance.now();
    await pool(PORTFOLIOS, CONCURRENCY, async () => {
      if (Date.now() > deadline) return;
      const { status } = await post(commandApi);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      tick(++posted);
    });
    const postSeconds = (performance.now() - start) / 1000;
    const accepted = statuses.get(202) ?? 0;
    const target = base + accepted;
    const tickDone = progress('calculated in the read model', accepted);
    let done = base;
    let calculatorSeconds: number | undefined;
    // A count is a full scan on FerretDB (≈ 0.3 s for a few hundred portfolios) that would compete
    // with the projector: count only once both groups' offsets say they are through.
    while (done < target && Date.now() < deadline) {
      await sleep(500);
      if (calculatorSeconds === undefined) {
        if (!(await groupCaughtUp(`${system.name}-calculator`, system.topics.portfolioSubmitted))) continue;
        calculatorSeconds = (performance.now() - start) / 1000;
      }
      if (!(await groupCaughtUp(`${system.name}-projector`, system.topics.portfolioCalculated, 1))) continue;
      done = await portfolios.countDocuments({ status: 'calculated' });
      tickDone(done - base);
    }
    const seconds = (performance.now() - start) / 1000;
    if (done < target)
      console.log(`  !! only ${done - base} of ${accepted} calculated within ${MAX_SECONDS} s`);
    const peak = (done - base) / seconds;
    if (calculatorSeconds !== undefined)
      console.log(
        `  the calculator group had committed every submitted event after ${calculatorSeconds.toFixed(1)} s ` +
          `(≈ ${(accepted / calculatorSeconds).toFixed(1)} portfolios/s; ±0.5 s sampling): the rest is the projector into MongoDB`,
      );
    console.log(
      `  POST answers: ${JSON.stringify(Object.fromEntries(statuses))}; POST phase ${postSeconds.toFixed(1)} s (${(posted / postSeconds).toFixed(0)}/s accepted by the command API)`,
    );
    figure(
      `pipeline peak, ${replicas}+${replicas} replicas, ${accepted} spec-example portfolios, ${CONCURRENCY} in flight, POST → read model calculated`,
      `${peak.toFixed(1)} portfolios/s (${done - base} in ${seconds.toFixed(1)} s) = ${((100 * peak) / ceiling).toFixed(1)} % of the kafkajs 1-per-send ceiling (${ceiling.toFixed(0)} msg/s)`,
    );

    // 2. latency at half the peak rate
    const rate = peak / 2;
    const count = Math.max(10, Math.min(LATENCY_PORTFOLIOS, Math.round(rate * LATENCY_SECONDS)));
    const pending = new Map<string, number>();
    const latencies: number[] = [];
    let failed = 0;
    let polls = 0;
    let pollMs = 0;
    let stopPolling = false;
    const queryApi = system.url('query-api');
    const poller = (async () => {
      while (!stopPolling || pending.size > 0) {
        const t = performance.now();
        const ids = [...pending.keys()];
        await pool(ids.length, 4, async (i) => {
          const uuid = ids[i]!;
          const res = await fetch(`${queryApi}/portfolios/${uuid}`, { headers: AUTHORIZATION });
          const body = (await res.json()) as { status?: string };
          if (res.status === 200 && body.status === 'calculated') {
            latencies.push(performance.now() - pending.get(uuid)!);
            pending.delete(uuid);
          }
        });
        if (ids.length > 0) {
          polls++;
          pollMs += performance.now() - t;
        }
        if (Date.now() > deadline + 60_000) break;
        await sleep(100);
      }
    })();
    const tickLatency = progress('latency run', count);
    const t0 = performance.now();
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const sent = performance.now();
      sends.push(
        post(commandApi).then(({ status, uuid }) => {
          if (status === 202 && uuid !== undefined) pending.set(uuid, sent);
          else failed++;
          tickLatency(i + 1);
        }),
      );
    }
    await Promise.all(sends);
    stopPolling = true;
    await poller;
    console.log(
      `  ${count} portfolios at ${rate.toFixed(1)}/s (open loop); ${failed} not accepted, ${pending.size} not seen calculated; ` +
        `a poll round (GET /portfolios/{uuid} of each pending one, 4 at a time) took ${(pollMs / Math.max(1, polls)).toFixed(1)} ms on average`,
    );
    figure(
      `pipeline POST → queryable latency at ${rate.toFixed(1)} portfolios/s (half the peak), ${replicas}+${replicas} replicas`,
      latencySummary(latencies),
    );
  } finally {
    await mongo.close();
    await system.stopAndDropDatabase();
  }
}

async function main(): Promise<void> {
  console.log(`bench:pipeline\n  ${machineLine()}`);
  const run = `bench-pipeline-ceiling-${Date.now().toString(36)}`;
  const sizes = await eventSizes(`${run}.`);
  const ceiling = await kafkajsLoop(benchKafka(), `${run}-submitted`, {
    messages: 3000,
    size: sizes.submitted,
    concurrency: CONCURRENCY,
  });
  figure(
    `kafkajs ceiling, PortfolioSubmitted (${sizes.submitted} B), 1 msg/send, ${CONCURRENCY} in flight`,
    `${ceiling.perSecond.toFixed(0)} msg/s`,
  );
  for (const replicas of REPLICAS) await runOnce(replicas, ceiling.perSecond);
}

runBench(main);
