// HTTP load on the command API with a real load generator (autocannon, closed loop, N connections):
// `npm run bench:http` (`-- --json` for a JSON document of the figures).
//  1. POST /portfolios (202 once PortfolioSubmitted is acknowledged) at 8 and 64 connections;
//  2. the synchronous route, POST /api/drive-deposits/calculate-portfolio (200 with the
//     PortfolioCalculated the calculator wrote, through Kafka), at 8 connections.
// The whole system runs as processes (bench/lib.ts startSystem: 1 calculator, 1 projector) on a fresh
// topic prefix and database. BENCH_HTTP_SECONDS (default 15) per run, BENCH_HTTP_CONNECTIONS
// ("8,64") for POST /portfolios, BENCH_SYNC_CONNECTIONS ("8") for the synchronous route.
// Anchor: the original Rust system's synchronous calculate route, measured by issue 13 on this
// machine with wrk at 8 connections (2,573–2,653 req/s, p50 2.9 ms, p99 6.7 ms); it cannot be
// built here, so the ratio is to that recorded measurement, not one taken in this run.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figure, machineLine, runBench, sleep, startSystem } from './lib';
import { testAuthorization } from '../packages/testing/src';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 15);
const POST_CONNECTIONS = (process.env.BENCH_HTTP_CONNECTIONS ?? '8,64').split(',').map(Number);
const SYNC_CONNECTIONS = (process.env.BENCH_SYNC_CONNECTIONS ?? '8').split(',').map(Number);
const BODY = readFileSync(join(__dirname, '../../shared/spec/examples/portfolio-request-valid.json'), 'utf8');
/** issue 13's measurement of the original system (wrk, 8 connections, 20 s): the lower req/s of its rounds */
const ORIGINAL = { reqPerSec: 2573, p50: 2.9, p99: 6.7 };
const TARGETS = {
  post: { reqPerSec: 2000, p99: 50 },
  sync: { reqPerSec: 1000, p50: 25, p99: 100 },
};

interface Run {
  path: string;
  connections: number;
  requests: number;
  reqPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

async function load(url: string, path: string, connections: number, seconds: number): Promise<Run> {
  const statuses: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}${path}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...testAuthorization() },
        body: BODY,
        connections,
        duration: seconds,
        timeout: 30,
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  return {
    path,
    connections,
    requests: result.requests.total,
    reqPerSec: result.requests.total / (result.duration || seconds),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

const describe = (run: Run) =>
  `${run.reqPerSec.toFixed(0)} req/s, p50 ${run.p50} ms, p90 ${run.p90} ms, p99 ${run.p99} ms, max ${run.max} ms ` +
  `(${run.requests} requests; statuses ${JSON.stringify(run.statuses)}; ${run.errors} errors, ${run.timeouts} timeouts)`;

async function main(): Promise<void> {
  process.stderr.write(`bench:http\n  ${machineLine()}\n`);
  const system = await startSystem('bench-http', 1);
  const url = system.url('command-api');
  try {
    // warm-up: connections, JIT, registry caches, and the whole path once
    await load(url, '/portfolios', 8, 3);
    await load(url, '/api/drive-deposits/calculate-portfolio', 2, 3);
    await sleep(1000);
    for (const connections of POST_CONNECTIONS) {
      const run = await load(url, '/portfolios', connections, SECONDS);
      const { reqPerSec, p99 } = TARGETS.post;
      figure(
        `POST /portfolios (202), autocannon ${connections} connections, ${SECONDS} s`,
        `${describe(run)}; target ≥ ${reqPerSec} req/s and p99 ≤ ${p99} ms: ${(run.reqPerSec / reqPerSec).toFixed(2)}× the rate, ${(run.p99 / p99).toFixed(2)}× the p99`,
        run,
      );
      await sleep(2000); // let the calculator and projector catch up a little between runs
    }
    for (const connections of SYNC_CONNECTIONS) {
      const run = await load(url, '/api/drive-deposits/calculate-portfolio', connections, SECONDS);
      figure(
        `POST /api/drive-deposits/calculate-portfolio (200 with the result, through Kafka), autocannon ${connections} connections, ${SECONDS} s`,
        `${describe(run)}; vs the original system's direct call (issue 13, wrk 8 connections: ${ORIGINAL.reqPerSec} req/s, p50 ${ORIGINAL.p50} ms, p99 ${ORIGINAL.p99} ms): ` +
          `${(run.reqPerSec / ORIGINAL.reqPerSec).toFixed(3)}× the rate, ${(run.p50 / ORIGINAL.p50).toFixed(1)}× the p50, ${(run.p99 / ORIGINAL.p99).toFixed(1)}× the p99; ` +
          `target ≥ ${TARGETS.sync.reqPerSec} req/s, p50 ≤ ${TARGETS.sync.p50} ms, p99 ≤ ${TARGETS.sync.p99} ms`,
        run,
      );
    }
  } finally {
    await system.stopAndDropDatabase();
  }
}

runBench(main);
