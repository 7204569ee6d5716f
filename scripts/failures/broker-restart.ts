// `npm run failures:broker-restart`: the SHARED Kafka broker stopped (`infra.sh down kafka`) for
// FAILURE_OUTAGE_SECONDS (20) during FAILURE_LOAD_SECONDS (60) of submissions, then started again
// (`infra.sh up`). The services must recover by themselves (no restart), 503s while it is down are
// counted, and every accepted portfolio must reach the read models exactly once with exact numbers.
// Always brings the broker back up, even on failure. Exit status 0 only when nothing is lost.
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
const OUTAGE_SECONDS = Number(process.env.FAILURE_OUTAGE_SECONDS ?? 20);
const MAX_SECONDS = Number(process.env.FAILURE_MAX_SECONDS ?? 600);
/** POSTs per second: the read models on FerretDB absorb a few dozen small portfolios per second */
const RATE = Number(process.env.FAILURE_RATE ?? 20);

async function main(): Promise<number> {
  console.log(
    `failures:broker-restart — ${LOAD_SECONDS} s of load at ${RATE}/s, broker down ${OUTAGE_SECONDS} s\n  ${machineLine()}`,
  );
  const system = await startSystem('failures-broker', 1);
  const pidsBefore = system.services.map((s) => `${s.name}:${s.child.pid}`);
  const start = Date.now();
  let brokerDown = false;
  const outage = (async () => {
    await sleep(10_000);
    brokerDown = true;
    await infra('down', 'kafka');
    await sleep(OUTAGE_SECONDS * 1000);
    await infra('up');
    brokerDown = false;
    log('broker back');
  })();
  try {
    let last = 0;
    const load = await submitLoad(() => system.url('command-api'), {
      count: 1_000_000,
      rate: RATE,
      concurrency: 8,
      until: () => Date.now() - start > LOAD_SECONDS * 1000,
      onProgress: (sent, accepted) => {
        if (Date.now() - last > 5000) {
          last = Date.now();
          log(`sent ${sent}, accepted ${accepted}${brokerDown ? ' (broker down)' : ''}`);
        }
      },
    });
    await outage;
    log(`load done: ${load.sent} sent, answers ${statusLine(load.statuses)}`);
    const exited = system.services.filter((s) => s.child.exitCode !== null || s.child.signalCode !== null);
    log(
      `service processes that exited: ${exited.map((s) => `${s.name} (${s.child.exitCode ?? s.child.signalCode})`).join(', ') || 'none'}`,
    );
    await waitForReadModel(system, load.accepted.size, MAX_SECONDS, 10_000);
    // and the system still takes new work after the outage
    const after = await submitLoad(() => system.url('command-api'), { count: 20, concurrency: 4 });
    for (const uuid of after.accepted) load.accepted.add(uuid);
    await waitForReadModel(system, load.accepted.size, 120, 2000);
    const verdict = await verify(system, load.accepted);
    const recovered = exited.length === 0 && after.accepted.size === 20;
    console.log(
      `RESULT failures:broker-restart ${JSON.stringify({ answers: Object.fromEntries(load.statuses), exitedServices: exited.map((s) => s.name), acceptedAfter: after.accepted.size, pidsBefore, ...verdict })}`,
    );
    console.log(`  [${machineLine()}]`);
    return verdict.ok && recovered ? 0 : 1;
  } finally {
    await outage.catch(() => undefined);
    await infra('up');
    await system.stop();
    await dropDatabase(system);
  }
}

runFailureScript(main, () => infra('up'));
