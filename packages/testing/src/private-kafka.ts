// A private Kafka broker (KRaft, one node, the jars infra/infra.sh resolved) whose client listeners
// are SASL_PLAINTEXT and (optionally) SASL_SSL, with SCRAM-SHA-512 and PLAIN, and whose StandardAuthorizer denies
// whatever no ACL allows: for the test of per-service users and ACLs. The shared test broker is
// never touched. Java and the jars are required: without them this fails, saying which is missing.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { makeTestCertificates } from './certificates';
import { freePort, REPO_ROOT } from './processes';

export interface PrivateKafka {
  /** host:port of the SASL_PLAINTEXT listener */
  broker: string;
  /** with `tls`: host:port of the SASL_SSL listener and the PEM file of the CA that signed its certificate */
  tls?: { broker: string; caFile: string };
  /** SASL options of the super user (creates topics and ACLs) */
  admin: SASLOptions;
  /** the broker's output so far (for a failing test's message) */
  output(): string;
  /** SIGTERM (SIGKILL after 10 s), wait for the exit, delete the data directory */
  stop(): Promise<void>;
}

export interface PrivateKafkaOptions {
  /** user → password; each gets SCRAM-SHA-512 credentials (at format time) and a PLAIN login */
  users: Record<string, string>;
  /** a SASL_SSL listener too, its certificate (for 127.0.0.1) signed by a CA made for it (needs openssl) */
  tls?: boolean;
  timeoutMs?: number;
}

const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin/java') : 'java';
const ADMIN = 'admin';

function javaOrFail(): void {
  try {
    execFileSync(JAVA, ['-version'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `the private SASL broker needs Java 17+: '${JAVA} -version' failed (${(error as Error).message}); ` +
        'install a JDK or set JAVA_HOME',
    );
  }
}

/** The Kafka jars' classpath, resolved by infra/infra.sh from ~/.m2 (Maven) when not yet done. */
function kafkaClasspath(): string {
  try {
    const file = execFileSync('bash', [join(REPO_ROOT, 'infra/infra.sh'), 'kafka-classpath'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    const stderr = (error as { stderr?: Buffer | string }).stderr?.toString() ?? String(error);
    throw new Error(
      `the private SASL broker needs the Kafka jars (infra/infra.sh kafka-classpath): ${stderr}`,
    );
  }
}

const quoteJaas = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

interface Listeners {
  port: number;
  controllerPort: number;
  /** the SASL_SSL listener's port and PEM key store */
  tls?: { port: number; keyStore: string };
}

function serverProperties(
  { port, controllerPort, tls }: Listeners,
  dataDir: string,
  users: Record<string, string>,
) {
  const plainUsers = Object.entries(users)
    .map(([user, password]) => `user_${user}=${quoteJaas(password)}`)
    .join(' ');
  const admin = `username="${ADMIN}" password=${quoteJaas(users[ADMIN]!)}`;
  const clients = [`SASL_PLAINTEXT://127.0.0.1:${port}`];
  if (tls !== undefined) clients.push(`SASL_SSL://127.0.0.1:${tls.port}`);
  const saslListeners = tls === undefined ? ['sasl_plaintext'] : ['sasl_plaintext', 'sasl_ssl'];
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=${clients.join(',')},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=${clients.join(',')}`,
    'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    ...saslListeners.flatMap((listener) => [
      `listener.name.${listener}.scram-sha-512.sasl.jaas.config=` +
        `org.apache.kafka.common.security.scram.ScramLoginModule required ${admin};`,
      `listener.name.${listener}.plain.sasl.jaas.config=` +
        `org.apache.kafka.common.security.plain.PlainLoginModule required ${admin} ${plainUsers};`,
    ]),
    ...(tls === undefined
      ? []
      : [
          'listener.name.sasl_ssl.ssl.keystore.type=PEM',
          `listener.name.sasl_ssl.ssl.keystore.location=${tls.keyStore}`,
        ]),
    // Deny by default; the admin and the broker itself (ANONYMOUS on the PLAINTEXT controller
    // listener, which no client uses) may do anything.
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${ADMIN};User:ANONYMOUS`,
    'allow.everyone.if.no.acl.found=false',
    `log.dirs=${dataDir}`,
    // as infra/kafka/server.properties.in: one node, transactions work, no auto-creation
    'auto.create.topics.enable=false',
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=3',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=2',
    'num.recovery.threads.per.data.dir=1',
  ].join('\n');
}

/**
 * Formats a fresh data directory (SCRAM credentials of every user, `admin` added as the super user)
 * and starts the broker; resolves once the admin can list topics over SASL.
 */
export async function startPrivateKafka({
  users,
  tls = false,
  timeoutMs = 90_000,
}: PrivateKafkaOptions): Promise<PrivateKafka> {
  javaOrFail();
  const classpath = kafkaClasspath();
  const all = { [ADMIN]: `admin-${randomUUID()}`, ...users };
  const dir = mkdtempSync(join(tmpdir(), 'dd-sasl-kafka-'));
  const listeners: Listeners = { port: await freePort(), controllerPort: await freePort() };
  let caFile: string | undefined;
  if (tls) {
    try {
      const certificates = makeTestCertificates(dir);
      caFile = certificates.caFile;
      listeners.tls = { port: await freePort(), keyStore: certificates.keyStore };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const properties = join(dir, 'server.properties');
  writeFileSync(properties, serverProperties(listeners, join(dir, 'data'), all));
  const jvm = [
    '-Xms128m',
    '-Xmx384m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${join(REPO_ROOT, 'infra/kafka/log4j.properties')}`,
    `-Dkafka.logs.dir=${dir}`,
    '-cp',
    classpath,
  ];
  const scram = Object.entries(all).flatMap(([name, password]) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${name},password=${password}]`,
  ]);
  try {
    execFileSync(
      JAVA,
      [...jvm, 'kafka.tools.StorageTool', 'format', '-t', randomUUID(), '-c', properties, ...scram],
      { stdio: 'pipe' },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    const stdout = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`formatting the private SASL broker's storage failed: ${stdout}${stderr}`);
  }

  const child = spawn(JAVA, [...jvm, 'kafka.Kafka', properties], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => chunks.join('').slice(-20_000);
  const broker = `127.0.0.1:${listeners.port}`;
  const admin: SASLOptions = { mechanism: 'scram-sha-512', username: ADMIN, password: all[ADMIN]! };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const log = output();
      await stop();
      throw new Error(`the private SASL broker exited ${child.exitCode} while starting:\n${log}`);
    }
    const client = new Kafka({
      clientId: 'private-kafka-probe',
      brokers: [broker],
      sasl: admin,
      connectionTimeout: 1000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await client.connect();
      await client.listTopics();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        const log = output();
        await stop();
        throw new Error(
          `the private SASL broker did not answer within ${timeoutMs} ms: ${String(error)}\n${log}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await client.disconnect().catch(() => undefined);
    }
  }
  const tlsListener =
    listeners.tls === undefined || caFile === undefined
      ? undefined
      : { broker: `127.0.0.1:${listeners.tls.port}`, caFile };
  return { broker, tls: tlsListener, admin, output, stop };
}
