// Authenticated Kafka with least privilege (issue 15, item 4): a private broker whose listeners are
// SASL_PLAINTEXT and SASL_SSL (SCRAM-SHA-512 and PLAIN; its certificate signed by a CA made for the
// test) with the StandardAuthorizer denying what no ACL allows; a user per service with exactly the
// ACLs of README.md ("Connections and credentials"). The built command API (PLAIN), calculator
// (SCRAM-SHA-512 over TLS, trusting the CA of KAFKA_SSL_CA_FILE) and projector (SCRAM-SHA-512) carry
// a portfolio from POST to the read model and its deletion (DELETE → portfolio-deleted → the
// projector's tombstone) with their own credentials; a user cannot touch another service's topics,
// group or transactional ids; a wrong password stops a service at once with a clear message. Java
// and the Kafka jars are required (the test fails, naming what is missing). The registry and
// MongoDB are the shared test servers. The APIs verify bearer tokens of packages/testing's test key.
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type AclEntry,
  type SASLOptions,
} from 'kafkajs';
import {
  buildServices,
  isolatedEnv,
  specExample,
  startPrivateKafka,
  startServiceProcess,
  testAuthorization,
  type PrivateKafka,
  type ServiceProcess,
} from '@drive-deposits/testing';

const { name, env } = isolatedEnv('kafka-acls', { partitions: 2 });
const prefix = `${name}.`;
const topic = {
  submitted: `${prefix}portfolio-submitted`,
  calculated: `${prefix}portfolio-calculated`,
  deleted: `${prefix}portfolio-deleted`,
  deadLetter: `${prefix}dead-letter`,
};
const group = { calculator: `${name}-calculator`, projector: `${name}-projector` };
const RESULTS_GROUP_PREFIX = 'command-api-results-';

const passwords = {
  'command-api': `pw-command-api-${name}`,
  calculator: `pw-calculator-${name}`,
  projector: `pw-projector-${name}`,
};
type KafkaService = keyof typeof passwords;
const mechanisms: Record<KafkaService, 'plain' | 'scram-sha-512'> = {
  'command-api': 'plain', // PLAIN works as well as SCRAM
  calculator: 'scram-sha-512',
  projector: 'scram-sha-512',
};

const { TOPIC, GROUP, TRANSACTIONAL_ID } = AclResourceTypes;
const { CREATE, DESCRIBE, READ, WRITE } = AclOperationTypes;
type Rule = [AclResourceTypes, string, ResourcePatternTypes, AclOperationTypes[]];
const literal = ResourcePatternTypes.LITERAL;
const prefixed = ResourcePatternTypes.PREFIXED;

/** The ACLs of README.md's table, principal by principal (CREATE only because they create topics). */
const ACLS: Record<KafkaService, Rule[]> = {
  'command-api': [
    [TOPIC, topic.submitted, literal, [CREATE, DESCRIBE, WRITE]],
    [TOPIC, topic.calculated, literal, [CREATE, DESCRIBE, READ]],
    [TOPIC, topic.deleted, literal, [CREATE, DESCRIBE, WRITE]],
    [GROUP, RESULTS_GROUP_PREFIX, prefixed, [READ]],
  ],
  calculator: [
    [TOPIC, topic.submitted, literal, [CREATE, DESCRIBE, READ]],
    [TOPIC, topic.calculated, literal, [CREATE, DESCRIBE, WRITE]],
    [TOPIC, topic.deadLetter, literal, [CREATE, DESCRIBE, WRITE]],
    [GROUP, group.calculator, literal, [READ]],
    [TRANSACTIONAL_ID, `${group.calculator}-`, prefixed, [WRITE]],
  ],
  projector: [
    [TOPIC, topic.submitted, literal, [CREATE, DESCRIBE, READ]],
    [TOPIC, topic.calculated, literal, [CREATE, DESCRIBE, READ]],
    [TOPIC, topic.deleted, literal, [CREATE, DESCRIBE, READ]],
    [TOPIC, topic.deadLetter, literal, [CREATE, DESCRIBE, WRITE]],
    [GROUP, group.projector, literal, [READ]],
  ],
};

const aclEntries = (): AclEntry[] =>
  Object.entries(ACLS).flatMap(([user, rules]) =>
    rules.flatMap(([resourceType, resourceName, resourcePatternType, operations]) =>
      operations.map((operation) => ({
        resourceType,
        resourceName,
        resourcePatternType,
        principal: `User:${user}`,
        host: '*',
        operation,
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  );

let kafka: PrivateKafka | undefined;
const services: ServiceProcess[] = [];
const url = (service: string) => services.find((s) => s.name === service)!.url;

/** The calculator talks TLS (SASL_SSL), the others SASL_PLAINTEXT. */
const overTls: Record<KafkaService, boolean> = { 'command-api': false, calculator: true, projector: false };

const saslEnv = (service: KafkaService, password = passwords[service]) => ({
  ...(overTls[service]
    ? { KAFKA_BROKERS: kafka!.tls!.broker, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: kafka!.tls!.caFile }
    : { KAFKA_BROKERS: kafka!.broker }),
  KAFKA_SASL_MECHANISM: mechanisms[service],
  KAFKA_SASL_USERNAME: service,
  KAFKA_SASL_PASSWORD: password,
});

/** kafkajs' debug lines: it reports some refusals only there (a refused FindCoordinator). */
const kafkajsLog: string[] = [];

const clientOf = (sasl: SASLOptions) =>
  new Kafka({
    clientId: 'kafka-acls-test',
    brokers: [kafka!.broker],
    sasl,
    retry: { retries: 1, initialRetryTime: 100 },
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => void kafkajsLog.push(JSON.stringify(entry.log)),
  });
const asService = (service: KafkaService) =>
  clientOf({ mechanism: 'scram-sha-512', username: service, password: passwords[service] });

beforeAll(async () => {
  buildServices();
  kafka = await startPrivateKafka({ users: passwords, tls: true });
  const admin = clientOf(kafka.admin).admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl: aclEntries() });
  } finally {
    await admin.disconnect();
  }
  // Consumers first; each creates the topics it uses with its own CREATE rights.
  for (const service of ['calculator', 'projector', 'command-api'] as const) {
    services.push(await startServiceProcess(service, { ...env(service), ...saslEnv(service) }));
  }
  services.push(await startServiceProcess('query-api', env('query-api')));
}, 240_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await kafka?.stop();
}, 60_000);

it('carries a portfolio from POST to the read model, each service with its own user', async () => {
  const response = await fetch(`${url('command-api')}/portfolios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'wait=30', ...testAuthorization() },
    body: JSON.stringify(specExample<object>('portfolio-request-valid.json')),
  });
  // 200 with the result: the calculator's event reached the command API's result listener.
  expect(response.status).toBe(200);
  const { uuid } = (await response.json()) as { uuid: string };
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await fetch(`${url('query-api')}/portfolios/${uuid}`, { headers: testAuthorization() });
    last = await res.json();
    if ((last as { status?: string }).status === 'calculated') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(last).toMatchObject({ status: 'calculated' });

  // Deleted by its owner: the command API writes portfolio-deleted (its WRITE), the projector reads it.
  const deleted = await fetch(`${url('command-api')}/portfolios/${uuid}`, {
    method: 'DELETE',
    headers: testAuthorization(),
  });
  expect(deleted.status).toBe(204);
  const gone = await fetch(`${url('query-api')}/portfolios/${uuid}`, { headers: testAuthorization() });
  expect(gone.status).toBe(404);
  const consumed = asService('projector').admin();
  await consumed.connect();
  try {
    const until = Date.now() + 30_000;
    let committed = 0;
    while (Date.now() < until && committed < 1) {
      const [offsets] = await consumed.fetchOffsets({ groupId: group.projector, topics: [topic.deleted] });
      committed = offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
      if (committed < 1) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // the projector's group committed past the deletion: it read portfolio-deleted with its own user
    expect(committed).toBe(1);
  } finally {
    await consumed.disconnect();
  }
}, 90_000);

it("refuses a TLS client that does not trust the broker's CA (KAFKA_SSL without KAFKA_SSL_CA_FILE)", async () => {
  const admin = new Kafka({
    clientId: 'kafka-acls-test',
    brokers: [kafka!.tls!.broker],
    ssl: true,
    sasl: { mechanism: 'scram-sha-512', username: 'calculator', password: passwords.calculator },
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  await expect(admin.connect()).rejects.toThrow(/self-signed certificate|unable to verify|certificate/i);
  await admin.disconnect().catch(() => undefined);
});

describe("a service's user cannot touch what is not its own", () => {
  it("the projector's user cannot write portfolio-submitted", async () => {
    const producer = asService('projector').producer();
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: topic.submitted, messages: [{ key: 'k', value: 'forged' }] }),
      ).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    } finally {
      await producer.disconnect();
    }
  });

  it("the projector's user cannot read the calculator's group; the calculator's can", async () => {
    const offsetsOfCalculatorGroup = async (service: KafkaService) => {
      const admin = asService(service).admin();
      await admin.connect();
      try {
        return await admin.fetchOffsets({ groupId: group.calculator, topics: [topic.submitted] });
      } finally {
        await admin.disconnect();
      }
    };
    await expect(offsetsOfCalculatorGroup('calculator')).resolves.toHaveLength(1);
    kafkajsLog.length = 0;
    // kafkajs turns the refused FindCoordinator into "Failed to find group coordinator"; the
    // broker's answer is in its debug log.
    await expect(offsetsOfCalculatorGroup('projector')).rejects.toThrow(/group coordinator/);
    expect(kafkajsLog.join('\n')).toContain('GROUP_AUTHORIZATION_FAILED');
  });

  it("the command API's user does not even see the dead-letter topic", async () => {
    const admin = asService('command-api').admin();
    await admin.connect();
    try {
      const visible = await admin.listTopics();
      expect(visible).toEqual(expect.arrayContaining([topic.submitted, topic.calculated]));
      expect(visible).not.toContain(topic.deadLetter);
    } finally {
      await admin.disconnect();
    }
  });

  it("the calculator's user cannot use a transactional id outside its group's prefix", async () => {
    const transaction = async (transactionalId: string) => {
      const producer = asService('calculator').producer({
        transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      try {
        // the transactional id is first used (FindCoordinator, InitProducerId) when a transaction begins
        const open = await producer.transaction();
        await open.abort();
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
    };
    await expect(transaction(`${group.calculator}-${topic.submitted}-0`)).resolves.toBeUndefined();
    kafkajsLog.length = 0;
    await expect(transaction(`someone-else-${name}`)).rejects.toThrow(/coordinator/);
    expect(kafkajsLog.join('\n')).toContain('TRANSACTIONAL_ID_AUTHORIZATION_FAILED');
  });

  it("a service started on another service's group is refused, and says what to check", async () => {
    const failure = await startServiceProcess('projector', {
      ...env('projector'),
      ...saslEnv('projector'),
      CONSUMER_GROUP: group.calculator,
      STARTUP_TIMEOUT_MS: '4000',
    }).then(
      async (service) => {
        await service.stop();
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/exited with code 1 before it was ready/);
    // kafkajs logs the broker's refusal; the fatal line says what to check
    expect(failure).toContain('Group authorization failed');
    expect(failure).toMatch(/"level":"fatal".*"msg":"projector failed: [^"]*group coordinator[^"]*ACL/);
  }, 60_000);
});

it('a wrong password stops the service at once (exit 1), saying authentication failed', async () => {
  const started = Date.now();
  const failure = await startServiceProcess('calculator', {
    ...env('calculator'),
    ...saslEnv('calculator', 'not-the-password'),
    STARTUP_TIMEOUT_MS: '60000',
  }).then(
    async (service) => {
      await service.stop();
      return undefined;
    },
    (error: Error) => error.message,
  );
  expect(failure).toMatch(/exited with code 1 before it was ready/);
  expect(failure).toMatch(
    /calculator cannot start: DD_DEPENDENCY_UNAVAILABLE: Kafka refused the credentials .*authentication failed/,
  );
  expect(failure).not.toContain('not-the-password');
  // Not retried until STARTUP_TIMEOUT_MS: refused credentials are final.
  expect(Date.now() - started).toBeLessThan(30_000); // half the deadline: a loaded machine is slow to start Node
}, 60_000);
