// Effectively once across a crash: the calculator process (services/calculator/dist/main.js, built
// by this test's beforeAll with `tsc -b`) is SIGKILLed while events flow and
// started again. A read_committed reader must then see every portfolio's result exactly once.
import { randomUUID } from 'node:crypto';
import { submitPortfolio } from '@drive-deposits/core';
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  createProducer,
  ensureTopics,
  topicNames,
} from '@drive-deposits/kafka';
import { createLogger } from '@drive-deposits/logging';
import {
  buildServices,
  readTopic,
  schemaRegistryUrl,
  startServiceProcess,
  uniqueName,
  type ServiceProcess,
} from '@drive-deposits/testing';
import { collectTopic, specRequest, testCalculatorEnv } from './pipeline.fixture';

const TOTAL = 300;
const KILL_AFTER = 100;

const prefix = `${uniqueName('kill')}.`;
const topics = topicNames(prefix);
const env = testCalculatorEnv(prefix);
const logger = createLogger({ service: 'kill-test', level: 'warn' });
const kafka = createKafka(
  { brokers: env.KAFKA_BROKERS!.split(','), clientId: 'kill-test', ssl: false },
  logger,
);

const startCalculator = () => startServiceProcess('calculator', env);

beforeAll(() => buildServices(), 180_000);

it('SIGKILL mid-stream and a restart: every portfolio once for a read_committed reader', async () => {
  await ensureTopics(kafka, Object.values(topics), { partitions: 3, replicationFactor: 1 });
  const codec = createEventCodec(createEventRegistry({ url: schemaRegistryUrl() }), { topics });
  await codec.init();
  const producer = createProducer(kafka);
  await producer.connect();
  const uncommitted = await collectTopic(kafka, topics.portfolioCalculated, true);
  const portfolios: string[] = [];
  let first: ServiceProcess | undefined;
  let second: ServiceProcess | undefined;
  try {
    first = await startCalculator();
    // A steady trickle, so the kill lands while events are still arriving and being calculated.
    const produced = (async () => {
      for (let sent = 0; sent < TOTAL; sent += 10) {
        const events = Array.from({ length: 10 }, () =>
          submitPortfolio(specRequest(), {
            newId: randomUUID,
            now: new Date().toISOString(),
            correlationId: 'kill-test',
            eventId: randomUUID(),
          }),
        );
        portfolios.push(...events.map((e) => e.portfolio.uuid));
        await producer.send({
          topic: topics.portfolioSubmitted,
          messages: events.map((e) => ({
            key: e.portfolio.uuid,
            value: codec.encode(topics.portfolioSubmitted, e),
          })),
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const seenAtKill = await uncommitted.waitFor((all) =>
      all.length >= KILL_AFTER ? all.length : undefined,
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed, not exited
    await produced;
    expect(seenAtKill).toBeLessThan(TOTAL); // the kill really was mid-stream

    second = await startCalculator();
    const committed = await collectTopic(kafka, topics.portfolioCalculated);
    try {
      await committed.waitFor(
        (all) => (new Set(all.map((m) => m.key)).size >= TOTAL ? true : undefined),
        90_000,
      );
    } finally {
      await committed.stop();
    }
    const output = await readTopic(kafka, topics.portfolioCalculated);
    const counts = new Map<string, number>();
    for (const m of output) counts.set(m.key!.toString(), (counts.get(m.key!.toString()) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...portfolios].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await readTopic(kafka, topics.deadLetter)).toHaveLength(0);

    // Graceful stop: SIGTERM ends the restarted process with exit code 0.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } catch (error) {
    const logs = `${first?.output() ?? ''}--- restarted ---${second?.output() ?? ''}`.slice(-4000);
    throw new Error(`${(error as Error).message}\ncalculator output:\n${logs}`);
  } finally {
    first?.child.kill('SIGKILL');
    second?.child.kill('SIGKILL');
    await uncommitted.stop();
    await producer.disconnect();
  }
}, 150_000);
