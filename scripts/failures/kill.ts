// `npm run failures:kill`: the calculator and the projector SIGKILLed in turn every
// FAILURE_KILL_EVERY_MS (4000) while FAILURE_PORTFOLIOS (10,000) portfolios are submitted, each
// restarted at once (POSTs at FAILURE_RATE, 40/s); kills continue while the pipeline drains, for at most FAILURE_KILL_SECONDS (150).
// Afterwards every accepted portfolio must be in the read models exactly once with core's exact
// numbers, and the calculated topic (read_committed) must hold it exactly once.
// FAILURE_MAX_SECONDS (900) bounds the drain. Exit status 0 only when nothing is lost or doubled.
import { machineLine, startSystem, type SystemService } from '../../bench/lib';
import { dropDatabase, log, statusLine, submitLoad, verify, waitForReadModel, runFailureScript } from './lib';

const PORTFOLIOS = Number(process.env.FAILURE_PORTFOLIOS ?? 10_000);
const KILL_EVERY_MS = Number(process.env.FAILURE_KILL_EVERY_MS ?? 4000);
const KILL_SECONDS = Number(process.env.FAILURE_KILL_SECONDS ?? 150);
const MAX_SECONDS = Number(process.env.FAILURE_MAX_SECONDS ?? 900);
/** POSTs per second, so submissions overlap the kills and the drain on FerretDB stays bounded */
const RATE = Number(process.env.FAILURE_RATE ?? 40);

async function main(): Promise<number> {
  console.log(
    `failures:kill — ${PORTFOLIOS} portfolios, SIGKILL every ${KILL_EVERY_MS} ms\n  ${machineLine()}`,
  );
  const system = await startSystem('failures-kill', 1, { CONSUMER_SESSION_TIMEOUT_MS: '6000' });
  const kills: Record<string, number> = { calculator: 0, projector: 0 };
  let killing = true;
  const killStart = Date.now();
  const killer = (async () => {
    let turn = 0;
    while (killing && Date.now() - killStart < KILL_SECONDS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
      if (!killing) break;
      const name: SystemService = turn++ % 2 === 0 ? 'calculator' : 'projector';
      const victim = system.services.find(
        (s) => s.name === name && s.child.exitCode === null && s.child.signalCode === null,
      );
      if (victim === undefined) continue;
      victim.child.kill('SIGKILL');
      await victim.exited;
      kills[name]!++;
      await system.start(name);
    }
  })();
  try {
    let last = 0;
    const load = await submitLoad(() => system.url('command-api'), {
      count: PORTFOLIOS,
      concurrency: 16,
      rate: RATE,
      onProgress: (sent, accepted) => {
        if (Date.now() - last > 5000) {
          last = Date.now();
          log(`submitted ${sent}/${PORTFOLIOS}, accepted ${accepted}, kills ${JSON.stringify(kills)}`);
        }
      },
    });
    log(`submission done: ${load.sent} sent, answers ${statusLine(load.statuses)}`);
    const drained = waitForReadModel(system, load.accepted, MAX_SECONDS, 10_000);
    await drained;
    killing = false;
    await killer;
    log(`kills: ${JSON.stringify(kills)}; verifying`);
    const verdict = await verify(system, load.accepted);
    console.log(
      `RESULT failures:kill ${JSON.stringify({ kills, answers: Object.fromEntries(load.statuses), ...verdict })}`,
    );
    console.log(`  [${machineLine()}]`);
    return verdict.ok ? 0 : 1;
  } finally {
    killing = false;
    await killer.catch(() => undefined);
    await system.stop();
    await dropDatabase(system);
  }
}

runFailureScript(main);
