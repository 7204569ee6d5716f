// Operating the system: the four built services as real processes on the shared Kafka, registry and
// MongoDB. One correlation id travels from the HTTP request through both events into the read
// model and every service's log lines; /metrics carries the shared series with plausible values;
// SIGTERM (and a restart) of each service in the middle of steady load loses no accepted portfolio.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEventCodec, createEventRegistry, topicNames } from '@drive-deposits/kafka';
import { readModelCollections, readVersions } from '@drive-deposits/read-model';
import {
  buildServices,
  kafkaBrokers,
  mongoUrl,
  readTopic,
  REPO_ROOT,
  schemaRegistryUrl,
  startServiceProcess,
  testAuthorization,
  uniqueName,
  type ServiceName,
  type ServiceProcess,
} from '@drive-deposits/testing';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import {
  eventually,
  logLines,
  metricTypes,
  postJson,
  scrape,
  select,
  sleep,
  sum,
  type PostResult,
} from './operations.support';

const name = uniqueName('ops');
const SHUTDOWN_TIMEOUT_MS = 8000;
const topics = topicNames(`${name}.`);
const env = (service: ServiceName): Record<string, string> => ({
  KAFKA_TOPIC_PREFIX: `${name}.`,
  KAFKA_TOPIC_PARTITIONS: '3',
  MONGO_DB: name.replace(/-/g, '_'),
  // info: one line per request (command-api, query-api) and per processed event (calculator, projector)
  LOG_LEVEL: 'info',
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  ...(service === 'calculator' || service === 'projector'
    ? { CONSUMER_GROUP: `${name}-${service}`, CONSUMER_SESSION_TIMEOUT_MS: '10000' }
    : {}),
});

const requestBody = readFileSync(join(REPO_ROOT, 'examples/requests/one-bank-1-year.json'), 'utf8');

const services = new Map<ServiceName, ServiceProcess>();
/** every process this file started, restarted ones included, to stop them all at the end */
const started: ServiceProcess[] = [];
const url = (service: ServiceName) => services.get(service)!.url;

async function start(service: ServiceName): Promise<ServiceProcess> {
  const proc = await startServiceProcess(service, env(service));
  services.set(service, proc);
  started.push(proc);
  return proc;
}

const kafka = new Kafka({ clientId: 'operations-e2e', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
const codec = createEventCodec(createEventRegistry({ url: schemaRegistryUrl() }, 'operations-e2e'), {
  topics,
});
let mongo: MongoClient;
let db: Db;

beforeAll(async () => {
  buildServices();
  mongo = await MongoClient.connect(mongoUrl());
  db = mongo.db(name.replace(/-/g, '_'));
  // Consumers first, so the topics and read models exist before the first command.
  for (const service of ['calculator', 'projector', 'query-api', 'command-api'] as const)
    await start(service);
}, 180_000);

afterAll(async () => {
  const codes = await Promise.all(started.map((s) => s.stop()));
  await mongo?.close();
  expect(codes).toEqual(started.map(() => 0));
});

async function portfolioDoc(uuid: string) {
  const { active } = await readVersions(db);
  return readModelCollections(db, active).portfolios.findOne({ _id: uuid });
}

async function untilCalculated(uuid: string): Promise<any> {
  return eventually(async () => {
    const res = await fetch(`${url('query-api')}/portfolios/${uuid}`, { headers: testAuthorization() });
    const body = (await res.json()) as any;
    if (res.status !== 200 || body.status !== 'calculated')
      throw new Error(`portfolio ${uuid}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }, 60_000);
}

const accepted = (result: PostResult): { portfolio_uuid: string } => {
  if (result.kind !== 'answered' || result.status !== 202)
    throw new Error(`POST /portfolios: ${JSON.stringify(result)}`);
  return JSON.parse(result.body) as { portfolio_uuid: string };
};

describe('one correlation id from the HTTP request to the read model', () => {
  const correlationId = `ops-${name}`;
  let uuid: string;

  beforeAll(async () => {
    const result = await postJson(url('command-api'), '/portfolios', requestBody, {
      'X-Correlation-Id': correlationId,
    });
    uuid = accepted(result).portfolio_uuid;
    expect(result.kind === 'answered' && result.headers['x-correlation-id']).toBe(correlationId);
    await untilCalculated(uuid);
  }, 90_000);

  it('is in PortfolioSubmitted and PortfolioCalculated', async () => {
    for (const [topic, type] of [
      [topics.portfolioSubmitted, 'PortfolioSubmitted'],
      [topics.portfolioCalculated, 'PortfolioCalculated'],
    ] as const) {
      const messages = (await readTopic(kafka, topic)).filter((m) => m.key?.toString() === uuid);
      expect(messages).toHaveLength(1);
      const event = await codec.decode(messages[0]!.value!, type);
      expect(event.correlation_id).toBe(correlationId);
    }
  });

  it('is stored in the portfolio read-model document', async () => {
    expect(await portfolioDoc(uuid)).toMatchObject({ status: 'calculated', correlation_id: correlationId });
  });

  it("is on the command API's, the calculator's and the projector's log lines for it", async () => {
    const linesWith = (service: ServiceName) =>
      logLines(services.get(service)!.output()).filter((line) => line.correlation_id === correlationId);
    await eventually(() => {
      const request = linesWith('command-api');
      expect(request).toContainEqual(
        expect.objectContaining({
          service: 'command-api',
          msg: 'request',
          route: '/portfolios',
          status: 202,
        }),
      );
      expect(linesWith('calculator')).toContainEqual(
        expect.objectContaining({
          service: 'calculator',
          level: 'info',
          msg: 'PortfolioCalculated committed',
          portfolio_uuid: uuid,
          topic: topics.portfolioSubmitted,
        }),
      );
      const projected = linesWith('projector').filter((line) => line.msg === 'event projected');
      expect(projected.map((line) => line.topic).sort()).toEqual(
        [topics.portfolioCalculated, topics.portfolioSubmitted].sort(),
      );
      expect(projected.every((line) => line.portfolio_uuid === uuid && line.service === 'projector')).toBe(
        true,
      );
    }, 15_000);
  });
});

describe('GET /metrics after traffic', () => {
  beforeAll(async () => {
    // A poison message: both consumers of the submitted topic dead-letter it.
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topics.portfolioSubmitted,
      messages: [{ key: 'poison', value: Buffer.from('not an event') }],
    });
    await producer.disconnect();
    await fetch(`${url('query-api')}/by-level-for-portfolios/delta-growth?top_k=5`, {
      headers: testAuthorization(),
    });
  });

  it('every service: the HTTP latency histogram by method, route template and status', async () => {
    for (const service of ['command-api', 'query-api', 'calculator', 'projector'] as const) {
      const { text, samples } = await scrape(url(service));
      const types = metricTypes(text);
      expect(types).toMatchObject({
        http_request_duration_seconds: 'histogram',
        dd_events_processed_total: 'counter',
        dd_events_failed_total: 'counter',
        dd_dead_letter_total: 'counter',
        dd_consumer_lag: 'gauge',
      });
      // prom-client's default process metrics are there too
      expect(types.process_cpu_seconds_total).toBe('counter');
      const counts = select(samples, 'http_request_duration_seconds_count', { service });
      // at least the /readyz polls of startServiceProcess, never a raw path as a label
      expect(
        sum(select(counts, 'http_request_duration_seconds_count', { route: '/readyz' })),
      ).toBeGreaterThan(0);
      expect(counts.every((s) => !/[0-9a-f]{8}-[0-9a-f]{4}-/.test(s.labels.route!))).toBe(true);
    }
    const command = (await scrape(url('command-api'))).samples;
    const posts = select(command, 'http_request_duration_seconds_count', {
      method: 'POST',
      route: '/portfolios',
      status: '202',
    });
    expect(sum(posts)).toBeGreaterThanOrEqual(1);
    const inf = select(command, 'http_request_duration_seconds_bucket', {
      method: 'POST',
      route: '/portfolios',
      status: '202',
      le: '+Inf',
    });
    expect(sum(inf)).toBe(sum(posts));
    expect(
      sum(select(command, 'http_request_duration_seconds_sum', { route: '/portfolios' })),
    ).toBeGreaterThan(0);
    const query = (await scrape(url('query-api'))).samples;
    expect(
      sum(
        select(query, 'http_request_duration_seconds_count', {
          method: 'GET',
          route: '/portfolios/:uuid',
          status: '200',
        }),
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('the calculator: processed, failed and dead-lettered events, lag per partition', async () => {
    await eventually(async () => {
      const { samples } = await scrape(url('calculator'));
      const topic = topics.portfolioSubmitted;
      expect(
        sum(select(samples, 'dd_events_processed_total', { topic, outcome: 'ok' })),
      ).toBeGreaterThanOrEqual(1);
      expect(sum(select(samples, 'dd_events_processed_total', { topic, outcome: 'dead_lettered' }))).toBe(1);
      expect(sum(select(samples, 'dd_events_failed_total', { topic, code: 'DD_EVENT_UNDECODABLE' }))).toBe(1);
      expect(sum(select(samples, 'dd_dead_letter_total', { topic, code: 'DD_EVENT_UNDECODABLE' }))).toBe(1);
      const lag = select(samples, 'dd_consumer_lag', { service: 'calculator' });
      expect(lag.map((s) => `${s.labels.topic}[${s.labels.partition}]`).sort()).toEqual(
        ['0', '1', '2'].map((p) => `${topic}[${p}]`),
      );
      // at most what the topic ever held (2 messages plus transaction markers)
      expect(lag.every((s) => Number.isInteger(s.value) && s.value >= 0 && s.value <= 4)).toBe(true);
    }, 20_000);
  });

  it('the projector: processed events of the topics it reads, the dead letter, lag per partition', async () => {
    await eventually(async () => {
      const { samples } = await scrape(url('projector'));
      const processed = (topic: string, outcome: string) =>
        sum(select(samples, 'dd_events_processed_total', { topic, outcome }));
      expect(processed(topics.portfolioSubmitted, 'ok')).toBeGreaterThanOrEqual(1);
      expect(processed(topics.portfolioCalculated, 'ok')).toBeGreaterThanOrEqual(1);
      expect(processed(topics.portfolioSubmitted, 'dead_lettered')).toBe(1);
      // the dead-letter topic is for operators, not domain input: the projector does not read it
      expect(select(samples, 'dd_events_processed_total', { topic: topics.deadLetter })).toEqual([]);
      const failed = { topic: topics.portfolioSubmitted, code: 'DD_EVENT_UNDECODABLE' };
      expect(sum(select(samples, 'dd_events_failed_total', failed))).toBe(1);
      expect(sum(select(samples, 'dd_dead_letter_total', failed))).toBe(1);
      const lag = select(samples, 'dd_consumer_lag', { service: 'projector' });
      // its three topics (submitted, calculated, deleted) × their partitions
      expect(new Set(lag.map((s) => `${s.labels.topic}[${s.labels.partition}]`)).size).toBe(9);
      expect(lag.every((s) => Number.isInteger(s.value) && s.value >= 0)).toBe(true);
    }, 20_000);
  });
});

describe('SIGTERM and restart of every service under steady load', () => {
  // One POST every INTERVAL_MS until every restart is over and AFTER_RESTART requests went to the
  // restarted command API: how many fall into the restart window depends on the machine, not on us.
  const INTERVAL_MS = 50;
  const AFTER_RESTART = 60;
  const MAX_REQUESTS = 2000;
  const results: PostResult[] = [];
  const phases: string[] = [];
  const stops: Array<{ service: ServiceName; code: number | null; ms: number }> = [];
  let phase = 'before';

  async function restart(service: ServiceName): Promise<void> {
    const old = services.get(service)!;
    const t0 = Date.now();
    const code = await old.stop(SHUTDOWN_TIMEOUT_MS + 5000);
    stops.push({ service, code, ms: Date.now() - t0 });
    await start(service);
  }

  beforeAll(async () => {
    let chaosDone = false;
    const sentAfter = () => phases.filter((p) => p === 'after').length;
    const load = (async () => {
      const inFlight: Array<Promise<void>> = [];
      const t0 = Date.now();
      for (let i = 0; !chaosDone || sentAfter() < AFTER_RESTART; i++) {
        if (i === MAX_REQUESTS) throw new Error(`the restarts took longer than ${MAX_REQUESTS} requests`);
        await sleep(Math.max(0, t0 + i * INTERVAL_MS - Date.now()));
        phases[i] = phase;
        inFlight.push(
          postJson(url('command-api'), '/portfolios', requestBody, {
            'X-Correlation-Id': `load-${name}-${i}`,
          }).then((result) => void (results[i] = result)),
        );
      }
      await Promise.all(inFlight);
    })();
    // Overlapping, all within the load: the command API down and back, the calculator and the projector too.
    const chaos = Promise.all([
      (async () => {
        await sleep(1500);
        phase = 'command-api down';
        await restart('command-api');
        phase = 'after';
      })(),
      sleep(2500).then(() => restart('calculator')),
      sleep(4000).then(() => restart('projector')),
    ]).then(() => void (chaosDone = true));
    await Promise.all([load, chaos]);
    const count = (kind: PostResult['kind']) => results.filter((r) => r.kind === kind).length;
    process.stderr.write(
      `[operations] ${results.length} POSTs: ${count('answered')} answered, ${count('refused')} refused and ` +
        `${count('lost')} reset or lost around the command API's restart; stops: ${JSON.stringify(stops)}\n`,
    );
  }, 120_000);

  it('each service exited 0 within SHUTDOWN_TIMEOUT_MS', () => {
    expect(stops.map((s) => s.service).sort()).toEqual(['calculator', 'command-api', 'projector']);
    for (const stop of stops) {
      expect(stop).toEqual({ service: stop.service, code: 0, ms: expect.any(Number) });
      expect(stop.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    }
  });

  /**
   * Sent after the SIGTERM and reset without an answer: the connection raced the listener's close
   * (still in the kernel's accept queue, or accepted with its request not yet read). Not processed:
   * checked below against the read model. Any other failure to answer is a lost request.
   */
  const resetAtClose = (r: PostResult, i: number) =>
    r.kind === 'lost' && r.code === 'ECONNRESET' && phases[i] === 'command-api down';

  it('answers every request sent before its SIGTERM or to a ready instance: 202 for all', () => {
    const lost = results.flatMap((r, i) =>
      r.kind === 'lost' && !resetAtClose(r, i) ? [`#${i} (${phases[i]}): ${r.error}`] : [],
    );
    expect(lost).toEqual([]);
    const notAccepted = results.flatMap((r, i) =>
      r.kind === 'answered' && r.status !== 202 ? [`#${i}: ${r.status} ${r.body}`] : [],
    );
    expect(notAccepted).toEqual([]);
    // refused only between the SIGTERM and the restarted instance's readiness
    const refusedOutside = results.flatMap((r, i) =>
      r.kind === 'refused' && phases[i] !== 'command-api down' ? [i] : [],
    );
    expect(refusedOutside).toEqual([]);
    // accepted before and after the command API's restart
    const acceptedIn = (p: string) =>
      results.filter((r, i) => r.kind === 'answered' && phases[i] === p).length;
    expect(acceptedIn('before')).toBeGreaterThan(0);
    expect(acceptedIn('after')).toBeGreaterThan(0);
  });

  it('every accepted portfolio is calculated once, in the read model once, and queryable', async () => {
    const uuids = results.flatMap((r, i) =>
      r.kind === 'answered' && r.status === 202 ? [{ i, uuid: accepted(r).portfolio_uuid }] : [],
    );
    expect(uuids.length).toBeGreaterThanOrEqual(AFTER_RESTART);
    const { active } = await readVersions(db);
    const portfolios = readModelCollections(db, active).portfolios;
    const ids = uuids.map((u) => u.uuid);
    expect(new Set(ids).size).toBe(ids.length);
    await eventually(
      async () => {
        const calculated = await portfolios.countDocuments({ _id: { $in: ids }, status: 'calculated' });
        expect(calculated).toBe(ids.length);
      },
      90_000,
      1000,
    );
    const docs = await portfolios.find({ _id: { $in: ids } }).toArray();
    expect(docs).toHaveLength(ids.length);
    for (const { i, uuid } of uuids) {
      expect(docs.find((d) => d._id === uuid)).toMatchObject({ correlation_id: `load-${name}-${i}` });
    }
    // a request reset at the close was not processed: no portfolio carries its correlation id
    const reset = results.flatMap((r, i) => (resetAtClose(r, i) ? [`load-${name}-${i}`] : []));
    expect(await portfolios.countDocuments({ correlation_id: { $in: reset } })).toBe(0);
    // read_committed downstream consumers see each result exactly once
    const calculated = await readTopic(kafka, topics.portfolioCalculated);
    const perPortfolio = new Map<string, number>();
    for (const m of calculated)
      perPortfolio.set(m.key!.toString(), (perPortfolio.get(m.key!.toString()) ?? 0) + 1);
    expect(ids.filter((id) => perPortfolio.get(id) !== 1)).toEqual([]);
    // the restarted query API answers for each of them
    for (const uuid of ids.slice(0, 20)) {
      const body = await untilCalculated(uuid);
      expect(body.portfolio.uuid).toBe(uuid);
    }
  }, 150_000);
});
