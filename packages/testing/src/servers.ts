// Where the integration tests' servers come from, in this order:
//   1. KAFKA_BROKERS, SCHEMA_REGISTRY_URL and MONGO_URL all set: those servers (checked, never started or stopped);
//   2. a Docker engine answers (testcontainers' own check): official images in containers;
//   3. otherwise: infra/infra.sh up (Kafka, Apicurio Registry, FerretDB on this machine).
// TEST_INFRA=docker|local forces 2 or 3 (default: auto). TEST_INFRA_KEEP=1 leaves servers that this
// run started locally running afterwards. Whatever fails, fails the run, naming the server and why.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { SERVER_ENV_VARS, type ServerEnvVar } from './index';
import { REPO_ROOT } from './processes';

export type ServerEnv = Record<ServerEnvVar, string>;

export interface Servers {
  /** Where the servers came from, for the log. */
  source: 'environment' | 'docker' | 'local';
  env: ServerEnv;
  /** Stops what this run started, nothing else. */
  stop(): Promise<void>;
}

/** Official images used when a Docker engine is available (also in docker-compose.yml). */
export const IMAGES = {
  kafka: 'apache/kafka:3.9.1',
  registry: 'confluentinc/cp-schema-registry:7.9.0',
  mongo: 'mongo:7.0',
} as const;

const PARTS = ['kafka', 'registry', 'mongo'] as const;
const SERVER_NAMES: Record<ServerEnvVar, string> = {
  KAFKA_BROKERS: 'Kafka',
  SCHEMA_REGISTRY_URL: 'schema registry',
  MONGO_URL: 'MongoDB',
};

const log = (message: string): void => {
  process.stderr.write(`[test servers] ${message}\n`);
};

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function provideServers(): Promise<Servers> {
  const given = SERVER_ENV_VARS.filter((name) => process.env[name]?.trim());
  if (given.length === SERVER_ENV_VARS.length) {
    const env = Object.fromEntries(
      SERVER_ENV_VARS.map((name) => [name, process.env[name]!.trim()]),
    ) as ServerEnv;
    log(`using the servers given by the environment: ${describe(env)}`);
    await checkServers(env, 'given by the environment');
    return { source: 'environment', env, stop: async () => undefined };
  }
  if (given.length > 0) {
    const missing = SERVER_ENV_VARS.filter((name) => !given.includes(name));
    throw new Error(
      `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not: ` +
        'set all three to use your own servers, or none to let the test setup provide them.',
    );
  }

  const mode = process.env.TEST_INFRA?.trim() || 'auto';
  if (mode !== 'auto' && mode !== 'docker' && mode !== 'local') {
    throw new Error(`TEST_INFRA must be auto, docker or local, not "${mode}".`);
  }
  const servers =
    mode === 'docker' || (mode === 'auto' && (await dockerAnswers()))
      ? await startContainers()
      : await startLocal();
  try {
    await checkServers(servers.env, `started (${servers.source})`);
  } catch (err) {
    await servers.stop();
    throw err;
  }
  return servers;
}

function describe(env: ServerEnv): string {
  return SERVER_ENV_VARS.map((name) => `${name}=${env[name]}`).join(' ');
}

// ---------------------------------------------------------------------------------------------------
// Health, through the same client libraries the tests use

async function checkServers(env: ServerEnv, how: string): Promise<void> {
  const checks: Array<[ServerEnvVar, () => Promise<void>]> = [
    ['KAFKA_BROKERS', () => checkKafka(env.KAFKA_BROKERS)],
    ['SCHEMA_REGISTRY_URL', () => checkRegistry(env.SCHEMA_REGISTRY_URL)],
    ['MONGO_URL', () => checkMongo(env.MONGO_URL)],
  ];
  const results = await Promise.allSettled(checks.map(([, check]) => check()));
  const failures = results.flatMap((result, i) => {
    if (result.status === 'fulfilled') return [];
    const [name] = checks[i]!;
    return [`${SERVER_NAMES[name]} (${name}=${env[name]}): ${errorText(result.reason)}`];
  });
  if (failures.length > 0) {
    throw new Error(`Test servers ${how} are not usable:\n  ${failures.join('\n  ')}`);
  }
}

async function checkKafka(brokers: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'test-servers-check',
    brokers: brokers.split(',').map((b) => b.trim()),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5_000,
    retry: { retries: 3 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster metadata lists no broker');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function checkRegistry(url: string): Promise<void> {
  const res = await fetch(`${url.replace(/\/+$/, '')}/subjects`, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status === 404 && new URL(url).pathname.replace(/\/+$/, '') === '') {
    throw new Error(
      `GET /subjects answered 404; for Apicurio Registry use its Confluent API path: ${url.replace(/\/+$/, '')}/apis/ccompat/v7`,
    );
  }
  if (!res.ok) throw new Error(`GET /subjects answered ${res.status}: ${text.slice(0, 200)}`);
  if (!Array.isArray(JSON.parse(text)))
    throw new Error(`GET /subjects did not answer a JSON array: ${text.slice(0, 200)}`);
}

async function checkMongo(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------
// Docker (testcontainers)

async function dockerAnswers(): Promise<boolean> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

interface Stoppable {
  stop(): Promise<unknown>;
}

async function startContainers(): Promise<Servers> {
  const tc = await import('testcontainers');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  log(`starting containers: ${Object.values(IMAGES).join(', ')}`);
  const started: Stoppable[] = [];
  const stop = async (): Promise<void> => {
    for (const item of started.reverse()) await item.stop().catch(() => undefined);
  };
  const step = async <T extends Stoppable>(server: string, start: () => Promise<T>): Promise<T> => {
    try {
      const item = await start();
      started.push(item);
      return item;
    } catch (err) {
      throw new Error(`${server} container did not start: ${errorText(err)}`);
    }
  };

  try {
    const network = await step('network', () => new tc.Network().start());
    // Kafka must advertise the host port Docker maps, known only once the container exists: the
    // container waits for a start script, which is written after the port is known.
    const waiting = 'waiting for /tmp/start.sh';
    const [kafka, mongo] = await Promise.all([
      step('Kafka', () =>
        new tc.GenericContainer(IMAGES.kafka)
          .withNetwork(network)
          .withNetworkAliases('kafka')
          .withExposedPorts(9092)
          .withEnvironment({
            CLUSTER_ID: randomBytes(16).toString('base64url'),
            KAFKA_NODE_ID: '1',
            KAFKA_PROCESS_ROLES: 'broker,controller',
            KAFKA_LISTENERS: 'HOST://0.0.0.0:9092,DOCKER://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093',
            KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'HOST:PLAINTEXT,DOCKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
            KAFKA_INTER_BROKER_LISTENER_NAME: 'DOCKER',
            KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
            KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
            KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
            KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
            KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
            KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
            KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
          })
          .withEntrypoint(['sh'])
          .withCommand([
            '-c',
            `echo '${waiting}'; while [ ! -f /tmp/start.sh ]; do sleep 0.1; done; exec sh /tmp/start.sh`,
          ])
          .withWaitStrategy(tc.Wait.forLogMessage(waiting))
          .start(),
      ),
      step('MongoDB', () => new MongoDBContainer(IMAGES.mongo).start()),
    ]);
    const brokers = `${kafka.getHost()}:${kafka.getMappedPort(9092)}`;
    await kafka.copyContentToContainer([
      {
        content: `export KAFKA_ADVERTISED_LISTENERS=HOST://${brokers},DOCKER://kafka:19092\nexec /etc/kafka/docker/run\n`,
        target: '/tmp/start.sh',
        mode: 0o755,
      },
    ]);
    await waitUntil('Kafka container', 180_000, () => checkKafka(brokers));

    const registry = await step('schema registry', () =>
      new tc.GenericContainer(IMAGES.registry)
        .withNetwork(network)
        .withExposedPorts(8081)
        .withEnvironment({
          SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
          SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
          SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:19092',
          SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: '1',
        })
        .withWaitStrategy(tc.Wait.forHttp('/subjects', 8081).forStatusCode(200))
        .withStartupTimeout(180_000)
        .start(),
    );
    const env: ServerEnv = {
      KAFKA_BROKERS: brokers,
      SCHEMA_REGISTRY_URL: `http://${registry.getHost()}:${registry.getMappedPort(8081)}`,
      // The container runs a one-member replica set that knows itself by its container name.
      MONGO_URL: `${mongo.getConnectionString()}/?directConnection=true`,
    };
    log(`containers ready: ${describe(env)}`);
    return { source: 'docker', env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${what} not healthy after ${timeoutMs / 1000} s: ${errorText(err)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Local provisioning (infra/infra.sh)

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function infra(args: string[], echo: boolean): Promise<RunResult> {
  const root = REPO_ROOT;
  return new Promise((resolve, reject) => {
    // The servers infra.sh starts send their output to log files, so these pipes close when it exits.
    const child = spawn('bash', [path.join(root, 'infra', 'infra.sh'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (echo) process.stderr.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (echo) process.stderr.write(chunk);
    });
    child.on('error', (err) =>
      reject(new Error(`could not run infra/infra.sh ${args.join(' ')}: ${err.message}`)),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function startLocal(): Promise<Servers> {
  const before = await infra(['status'], false);
  const runningBefore = new Set(
    PARTS.filter((part) => new RegExp(`^${part}: running`, 'm').test(before.stdout)),
  );
  const env = await localEnv();
  if (runningBefore.size < PARTS.length && (await answeringElsewhere(env))) {
    // e.g. a second clone of the repository on the same machine, or docker compose.
    log(`servers not started by this clone already answer on the local ports; using them: ${describe(env)}`);
    return { source: 'local', env, stop: async () => undefined };
  }
  log(
    runningBefore.size === PARTS.length
      ? 'no Docker engine; local servers (infra/infra.sh) already running'
      : 'no Docker engine; starting local servers with infra/infra.sh up (the first run downloads and builds them)',
  );
  const up = await infra(['up'], true);
  if (up.code !== 0) {
    const failed = `${up.stdout}${up.stderr}`.split('\n').filter((line) => /FAILED|log:|^\s+\|/.test(line));
    throw new Error(
      `Local test servers did not start (infra/infra.sh up exited with ${up.code}):\n${failed.join('\n') || up.stderr}`,
    );
  }
  const startedHere = PARTS.filter((part) => !runningBefore.has(part));
  const stop = async (): Promise<void> => {
    if (startedHere.length === 0) return;
    if (process.env.TEST_INFRA_KEEP === '1') {
      log(`TEST_INFRA_KEEP=1: leaving ${startedHere.join(', ')} running (stop: npm run infra -- down)`);
      return;
    }
    const down = await infra(['down', ...startedHere], false);
    if (down.code !== 0) log(`infra/infra.sh down failed:\n${down.stdout}${down.stderr}`);
  };
  return { source: 'local', env: await localEnv(), stop };
}

/** The endpoints infra.sh serves (or would serve) with the current port variables. */
async function localEnv(): Promise<ServerEnv> {
  const printed = await infra(['env'], false);
  const values = new Map(
    printed.stdout
      .split('\n')
      .map((line) => line.match(/^([A-Z_]+)=(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
  return Object.fromEntries(SERVER_ENV_VARS.map((name) => [name, values.get(name) ?? ''])) as ServerEnv;
}

/** True when all three endpoints accept connections and pass the health checks. */
async function answeringElsewhere(env: ServerEnv): Promise<boolean> {
  const kafka = env.KAFKA_BROKERS.split(',')[0] ?? '';
  const targets = [
    { host: kafka.slice(0, kafka.lastIndexOf(':')), port: Number(kafka.slice(kafka.lastIndexOf(':') + 1)) },
    ...[env.SCHEMA_REGISTRY_URL, env.MONGO_URL]
      .map((url) => new URL(url))
      .map((u) => ({ host: u.hostname, port: Number(u.port) })),
  ];
  const open = await Promise.all(targets.map(({ host, port }) => portOpen(host, port)));
  if (open.includes(false)) return false;
  return checkServers(env, 'already answering').then(
    () => true,
    () => false,
  );
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1_000 });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.on('connect', () => done(true));
    socket.on('timeout', () => done(false));
    socket.on('error', () => done(false));
  });
}
