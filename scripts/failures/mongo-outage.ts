// `npm run failures:mongo-outage`: the SHARED MongoDB server stopped (`infra.sh down mongo`) for
// FAILURE_OUTAGE_SECONDS (30) while portfolios are submitted and the query API is asked every
// 200 ms, then started again (`infra.sh up`). The projector must pause and catch up, the query API
// answer 503 problems meanwhile (counted; a 500 is a failure), and nothing accepted be lost.
// Always brings MongoDB back up. Exit status 0 only when nothing is lost and no query got a 500.
import { machineLine, sleep, startSystem } from '../../bench/lib';
import {
  dropDatabase,
  infra,
  log,
  statusLine,
  submitLoad,
  verify,
  waitForReadModel,
  runFailureScript,
} from './lib';

const LOAD_SECONDS = Number(process.env.FAILURE_LOAD_SECONDS ?? 60);
const OUTAGE_SECONDS = Number(process.env.FAILURE_OUTAGE_SECONDS ?? 30);
const MAX_SECONDS = Number(process.env.FAILURE_MAX_SECONDS ?? 600);
/** POSTs per second: the read models on FerretDB absorb a few dozen small portfolios per second */
const RATE = Number(process.env.FAILURE_RATE ?? 20);

async function main(): Promise<number> {
  console.log(
    `failures:mongo-outage — ${LOAD_SECONDS} s of load at ${RATE}/s, MongoDB down ${OUTAGE_SECONDS} s\n  ${machineLine()}`,
  );
  const system = await startSystem('failures-mongo', 1);
  const start = Date.now();
  let mongoDown = false;
  const outage = (async () => {
    await sleep(10_000);
    mongoDown = true;
    await infra('down', 'mongo');
    await sleep(OUTAGE_SECONDS * 1000);
    await infra('up');
    mongoDown = false;
    log('MongoDB back');
  })();
  const queries = new Map<string, number>();
  const bad: string[] = [];
  let querying = true;
  const querier = (async () => {
    const paths = [
      '/by-level-for-portfolios/delta-growth?top_k=5',
      '/portfolios/00000000-0000-4000-8000-000000000000',
    ];
    for (let i = 0; querying; i++) {
      const path = paths[i % paths.length]!;
      const phase = mongoDown ? 'down' : 'up';
      try {
        const res = await fetch(`${system.url('query-api')}${path}`, { signal: AbortSignal.timeout(15_000) });
        const type = res.headers.get('content-type') ?? '';
        const body = await res.text();
        const key = `${phase}:${res.status}${res.status >= 400 && !type.startsWith('application/problem+json') ? '(not a problem)' : ''}`;
        queries.set(key, (queries.get(key) ?? 0) + 1);
        if ((res.status >= 500 && res.status !== 503) || key.includes('not a problem')) {
          if (bad.length < 5) bad.push(`${path} → ${res.status} ${body.slice(0, 200)}`);
        }
      } catch (error) {
        const key = `${phase}:error:${(error as Error).name}`;
        queries.set(key, (queries.get(key) ?? 0) + 1);
      }
      await sleep(200);
    }
  })();
  try {
    let last = 0;
    const load = await submitLoad(() => system.url('command-api'), {
      count: 1_000_000,
      rate: RATE,
      concurrency: 4,
      until: () => Date.now() - start > LOAD_SECONDS * 1000,
      onProgress: (sent, accepted) => {
        if (Date.now() - last > 5000) {
          last = Date.now();
          log(
            `sent ${sent}, accepted ${accepted}${mongoDown ? ' (MongoDB down)' : ''}; queries ${statusLine(queries)}`,
          );
        }
      },
    });
    await outage;
    querying = false;
    await querier;
    log(`load done: ${load.sent} sent, answers ${statusLine(load.statuses)}; queries ${statusLine(queries)}`);
    const exited = system.services.filter((s) => s.child.exitCode !== null || s.child.signalCode !== null);
    log(
      `service processes that exited: ${exited.map((s) => `${s.name} (${s.child.exitCode ?? s.child.signalCode})`).join(', ') || 'none'}`,
    );
    await waitForReadModel(system, load.accepted.size, MAX_SECONDS, 10_000);
    const verdict = await verify(system, load.accepted);
    const no500 = bad.length === 0;
    if (!no500) log(`bad query answers: ${bad.join(' | ')}`);
    console.log(
      `RESULT failures:mongo-outage ${JSON.stringify({ answers: Object.fromEntries(load.statuses), queries: Object.fromEntries(queries), badQueryAnswers: bad, exitedServices: exited.map((s) => s.name), ...verdict })}`,
    );
    console.log(`  [${machineLine()}]`);
    return verdict.ok && no500 && exited.length === 0 ? 0 : 1;
  } finally {
    querying = false;
    await outage.catch(() => undefined);
    await infra('up');
    await system.stop();
    await dropDatabase(system);
  }
}

runFailureScript(main, () => infra('up'));
