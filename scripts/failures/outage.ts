// One shared server stopped (`infra.sh down <part>`) for a while during submissions, then started
// again (`infra.sh up`), while the query API is asked every 200 ms. Afterwards: no service process
// exited, no query got a 5xx other than 503 or a non-problem error, the system takes new work, and
// every accepted portfolio is in the read models exactly once with exact numbers. The server is
// always brought back up, even on failure. Used by broker-restart.ts and mongo-outage.ts.
import { machineLine, sleep, startSystem, type System } from '../../bench/lib';
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
import { testAuthorization } from '../../packages/testing/src';

export interface OutageRun {
  /** the npm script's name, e.g. `failures:mongo-outage` */
  name: string;
  /** the infra.sh part stopped */
  part: 'kafka' | 'mongo';
  /** how the part is called in the output */
  label: string;
  /** FAILURE_OUTAGE_SECONDS unless set */
  defaultOutageSeconds: number;
  /** POSTs in flight */
  concurrency: number;
}

const QUERY_PATHS = [
  '/by-level-for-portfolios/delta-growth?top_k=5',
  '/portfolios/00000000-0000-4000-8000-000000000000',
];

/** Asks the query API every 200 ms until stopped; answers counted by phase (`up`/`down`) and status. */
function queryProbe(system: System, phase: () => 'up' | 'down') {
  const answers = new Map<string, number>();
  const bad: string[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const path = QUERY_PATHS[i % QUERY_PATHS.length]!;
      const at = phase();
      try {
        const res = await fetch(`${system.url('query-api')}${path}`, {
          headers: testAuthorization(),
          signal: AbortSignal.timeout(15_000),
        });
        const type = res.headers.get('content-type') ?? '';
        const body = await res.text();
        const notProblem = res.status >= 400 && !type.startsWith('application/problem+json');
        const key = `${at}:${res.status}${notProblem ? '(not a problem)' : ''}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
        if ((res.status >= 500 && res.status !== 503) || notProblem) {
          if (bad.length < 5) bad.push(`${path} → ${res.status} ${body.slice(0, 200)}`);
        }
      } catch (error) {
        const key = `${at}:error:${(error as Error).name}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
      }
      await sleep(200);
    }
  })();
  return {
    answers,
    bad,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function outageRun(run: OutageRun): Promise<number> {
  const loadSeconds = Number(process.env.FAILURE_LOAD_SECONDS ?? 60);
  const outageSeconds = Number(process.env.FAILURE_OUTAGE_SECONDS ?? run.defaultOutageSeconds);
  const maxSeconds = Number(process.env.FAILURE_MAX_SECONDS ?? 600);
  // POSTs per second, so the read models keep up and the drain stays short
  const rate = Number(process.env.FAILURE_RATE ?? 20);
  console.log(
    `${run.name} — ${loadSeconds} s of load at ${rate}/s, ${run.label} down ${outageSeconds} s\n  ${machineLine()}`,
  );
  const system = await startSystem(`failures-${run.part}`, 1);
  const pidsBefore = system.services.map((s) => `${s.name}:${s.child.pid}`);
  const start = Date.now();
  let down = false;
  const outage = (async () => {
    await sleep(10_000);
    down = true;
    await infra('down', run.part);
    await sleep(outageSeconds * 1000);
    await infra('up');
    down = false;
    log(`${run.label} back`);
  })();
  const queries = queryProbe(system, () => (down ? 'down' : 'up'));
  try {
    let last = 0;
    const load = await submitLoad(() => system.url('command-api'), {
      count: 1_000_000,
      rate,
      concurrency: run.concurrency,
      until: () => Date.now() - start > loadSeconds * 1000,
      onProgress: (sent, accepted) => {
        if (Date.now() - last > 5000) {
          last = Date.now();
          const state = down ? ` (${run.label} down)` : '';
          log(`sent ${sent}, accepted ${accepted}${state}; queries ${statusLine(queries.answers)}`);
        }
      },
    });
    await outage;
    await queries.stop();
    log(
      `load done: ${load.sent} sent, answers ${statusLine(load.statuses)}; queries ${statusLine(queries.answers)}`,
    );
    const exited = system.services.filter((s) => s.child.exitCode !== null || s.child.signalCode !== null);
    log(
      `service processes that exited: ${exited.map((s) => `${s.name} (${s.child.exitCode ?? s.child.signalCode})`).join(', ') || 'none'}`,
    );
    await waitForReadModel(system, load.accepted, maxSeconds, 10_000);
    // and the system still takes new work after the outage
    const after = await submitLoad(() => system.url('command-api'), { count: 20, concurrency: 4 });
    for (const uuid of after.accepted) load.accepted.add(uuid);
    await waitForReadModel(system, load.accepted, 120, 2000);
    const verdict = await verify(system, load.accepted);
    if (queries.bad.length > 0) log(`bad query answers: ${queries.bad.join(' | ')}`);
    const summary = {
      answers: Object.fromEntries(load.statuses),
      queries: Object.fromEntries(queries.answers),
      badQueryAnswers: queries.bad,
      exitedServices: exited.map((s) => s.name),
      acceptedAfter: after.accepted.size,
      pidsBefore,
      ...verdict,
    };
    console.log(`RESULT ${run.name} ${JSON.stringify(summary)}`);
    console.log(`  [${machineLine()}]`);
    const recovered = exited.length === 0 && after.accepted.size === 20;
    if (!verdict.ok || !recovered) {
      // what the services said (warnings and errors) is where a failed run is explained
      for (const service of system.services) {
        console.log(
          `--- ${service.name} (pid ${service.child.pid}), its last output:\n${service.output().slice(-6000)}`,
        );
      }
    }
    return verdict.ok && recovered && queries.bad.length === 0 ? 0 : 1;
  } finally {
    await queries.stop();
    await outage.catch(() => undefined);
    await infra('up');
    await system.stop();
    await dropDatabase(system);
  }
}

export function runOutage(run: OutageRun): void {
  runFailureScript(
    () => outageRun(run),
    () => infra('up'),
  );
}
