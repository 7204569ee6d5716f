// CPU-seconds per portfolio per process at a fixed rate, so the next bottleneck is visible:
// `npm run bench:cpu` (`-- --json` for JSON). The four built services as processes (1 calculator,
// 1 projector) on a fresh topic prefix and database; BENCH_CPU_RATE (100) POST /portfolios per
// second, open loop, for BENCH_CPU_SECONDS (20); CPU (user + system, /proc/<pid>/stat) of each
// service and of the local servers (infra/infra.sh pid files) from the first POST until the read
// model holds every portfolio. The servers are shared with whatever else runs on them, so their CPU
// is also sampled for as long again while this run sends nothing, and given beside it ("idle").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { figure, machineLine, runBench, serverEnv, sleep, startSystem } from './lib';
import { testAuthorization } from '../packages/testing/src';

const RATE = Number(process.env.BENCH_CPU_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_CPU_SECONDS ?? 20);
const REPO = join(__dirname, '..');
const BODY = readFileSync(join(REPO, '../shared/spec/examples/portfolio-request-valid.json'), 'utf8');
const TICKS = 100; // USER_HZ on Linux

/** user + system CPU seconds of a process (0 when it is gone) */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime (fields 14, 15)
  } catch {
    return 0;
  }
}

function serverPids(): Record<string, number> {
  const pids: Record<string, number> = {};
  for (const part of ['kafka', 'registry', 'mongo']) {
    try {
      pids[`${part} (server)`] = Number(
        readFileSync(join(process.env.INFRA_STATE_DIR ?? join(REPO, '.infra'), part, 'pid'), 'utf8').trim(),
      );
    } catch {
      // not a local server of this clone: not measured
    }
  }
  return pids;
}

const sample = (pids: Record<string, number>) =>
  Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));

async function main(): Promise<void> {
  process.stderr.write(`bench:cpu\n  ${machineLine()}\n`);
  const system = await startSystem('bench-cpu', 1);
  const mongo = await MongoClient.connect(serverEnv().MONGO_URL);
  const portfolios = mongo.db(system.env.MONGO_DB!).collection('portfolios_v1');
  const url = system.url('command-api');
  // one access token for the run, as a client keeps its token until it expires
  const authorization = testAuthorization();
  const post = async () => {
    const res = await fetch(`${url}/portfolios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization },
      body: BODY,
    });
    await res.arrayBuffer();
    return res.status;
  };
  try {
    for (let i = 0; i < 20; i++) await post(); // warm-up
    await sleep(3000);
    const servers = serverPids();
    const pids: Record<string, number> = { ...servers };
    for (const service of system.services) pids[service.name] = service.child.pid!;

    // idle: the shared servers while this run sends nothing
    const idleStart = sample(servers);
    const idleT0 = performance.now();
    await sleep(SECONDS * 1000);
    const idleSeconds = (performance.now() - idleT0) / 1000;
    const idleEnd = sample(servers);

    const base = await portfolios.countDocuments({ status: 'calculated' });
    const before = sample(pids);
    const t0 = performance.now();
    const count = RATE * SECONDS;
    const statuses = new Map<number, number>();
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      const wait = t0 + (i * 1000) / RATE - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(post().then((status) => void statuses.set(status, (statuses.get(status) ?? 0) + 1)));
    }
    await Promise.all(sends);
    const accepted = statuses.get(202) ?? 0;
    const deadline = Date.now() + 120_000;
    while ((await portfolios.countDocuments({ status: 'calculated' })) < base + accepted) {
      if (Date.now() > deadline) throw new Error('the read model did not catch up within 120 s');
      await sleep(250);
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = sample(pids);
    const rows = Object.keys(pids).map((name) => {
      const used = after[name]! - before[name]!;
      const idle =
        name in servers ? ((idleEnd[name]! - idleStart[name]!) * seconds) / idleSeconds : undefined;
      return { name, cpuSeconds: used, msPerPortfolio: (1000 * used) / accepted, idleCpuSeconds: idle };
    });
    const total = rows.reduce((sum, row) => sum + row.cpuSeconds, 0);
    const text = rows
      .map(
        (row) =>
          `${row.name} ${row.msPerPortfolio.toFixed(2)} ms` +
          (row.idleCpuSeconds === undefined
            ? ''
            : ` (idle ${((1000 * row.idleCpuSeconds) / accepted).toFixed(2)} ms)`),
      )
      .join('; ');
    figure(
      `CPU per portfolio at ${RATE} POST/s for ${SECONDS} s (${accepted} accepted, ${JSON.stringify(Object.fromEntries(statuses))}; read model complete after ${seconds.toFixed(1)} s)`,
      `${((1000 * total) / accepted).toFixed(2)} ms CPU per portfolio in all: ${text}`,
      { rate: RATE, seconds, accepted, rows },
    );
  } finally {
    await mongo.close();
    await system.stopAndDropDatabase();
  }
}

runBench(main);
