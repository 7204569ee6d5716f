// The codec against a real Confluent-compatible registry (from the int project's global setup).
import { DriveDepositsError } from '@drive-deposits/core';
import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';
import { schemaRegistryUrl, uniqueName } from '@drive-deposits/testing';
import { createEventCodec, subjectOf } from './codec';
import { exampleCalculated, exampleSubmitted } from './events.fixture';
import { createEventRegistry } from './registry';
import { readEventSchemas } from './schemas';

const freshTopics = () => {
  const prefix = `${uniqueName('codec')}.`;
  return {
    portfolioSubmitted: `${prefix}portfolio-submitted`,
    portfolioCalculated: `${prefix}portfolio-calculated`,
  };
};

async function rejection(promise: Promise<unknown>): Promise<DriveDepositsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DriveDepositsError))
    throw new Error(`expected a DriveDepositsError, got ${String(error)}`);
  return error;
}

async function compatibilityOf(subject: string): Promise<unknown> {
  const response = await fetch(`${schemaRegistryUrl()}/config/${encodeURIComponent(subject)}`);
  return ((await response.json()) as { compatibilityLevel?: unknown }).compatibilityLevel;
}

describe('event codec with a real registry', () => {
  it('registers both schemas under <topic>-value with BACKWARD, idempotently', async () => {
    const topics = freshTopics();
    const registry = createEventRegistry({ url: schemaRegistryUrl() });
    await createEventCodec(registry, { topics }).init();
    await createEventCodec(registry, { topics }).init();
    for (const topic of Object.values(topics)) {
      expect(await compatibilityOf(subjectOf(topic))).toBe('BACKWARD');
      expect(await registry.client.getLatestSchemaId(subjectOf(topic))).toBeGreaterThan(0);
    }
  });

  it('round-trips complete events, decoded by another instance that fetches the schema by id', async () => {
    const topics = freshTopics();
    const producer = createEventCodec(createEventRegistry({ url: schemaRegistryUrl() }), { topics });
    await producer.init();
    const submitted = producer.encode(topics.portfolioSubmitted, exampleSubmitted);
    const calculated = producer.encode(topics.portfolioCalculated, exampleCalculated);

    // A consumer that has never registered anything: every schema comes from the registry.
    const consumer = createEventCodec(createEventRegistry({ url: schemaRegistryUrl() }), { topics });
    expect(await consumer.decode(submitted)).toMatchObject({
      type: 'PortfolioSubmitted',
      event: exampleSubmitted,
    });
    expect(await consumer.decode(calculated, 'PortfolioCalculated')).toEqual(exampleCalculated);
  });

  it('rejects an incompatible schema change under BACKWARD', async () => {
    const topics = freshTopics();
    const registry = createEventRegistry({ url: schemaRegistryUrl() });
    await createEventCodec(registry, { topics }).init();
    const schema = readEventSchemas().PortfolioSubmitted as { fields: object[] };
    // A new field without a default: readers of the new version could not read existing events.
    const incompatible = { ...schema, fields: [...schema.fields, { name: 'channel', type: 'string' }] };
    await expect(
      registry.client.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(incompatible) },
        { subject: subjectOf(topics.portfolioSubmitted), compatibility: COMPATIBILITY.BACKWARD },
      ),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('refuses to start (DD_SCHEMA_INCOMPATIBLE) when the subject holds versions this schema cannot read', async () => {
    const topics = freshTopics();
    const registry = createEventRegistry({ url: schemaRegistryUrl() });
    const schema = readEventSchemas().PortfolioSubmitted as { fields: { name: string }[] };
    // An "older" version without correlation_id, which this build's schema requires (no default).
    const older = { ...schema, fields: schema.fields.filter((field) => field.name !== 'correlation_id') };
    await registry.client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(older) },
      { subject: subjectOf(topics.portfolioSubmitted), compatibility: COMPATIBILITY.BACKWARD },
    );
    const error = await rejection(createEventCodec(registry, { topics }).init());
    expect(error.code).toBe('DD_SCHEMA_INCOMPATIBLE');
    expect(error.retriable).toBe(false);
  });

  it('reports bytes that are not an event as DD_EVENT_UNDECODABLE', async () => {
    const topics = freshTopics();
    const codec = createEventCodec(createEventRegistry({ url: schemaRegistryUrl() }), { topics });
    await codec.init();
    const garbage = await rejection(codec.decode(Buffer.from('not avro at all')));
    expect(garbage.code).toBe('DD_EVENT_UNDECODABLE');
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2, 65]);
    const unknown = await rejection(codec.decode(unknownId));
    expect(unknown).toMatchObject({
      code: 'DD_EVENT_UNDECODABLE',
      message: `Unknown schema id ${0x7ffffff0}`,
    });
    const truncated = codec.encode(topics.portfolioCalculated, exampleCalculated).subarray(0, 60);
    expect((await rejection(codec.decode(truncated))).code).toBe('DD_EVENT_UNDECODABLE');
  });

  it('reports an unreachable registry as retriable DD_DEPENDENCY_UNAVAILABLE', async () => {
    const topics = freshTopics();
    const down = createEventRegistry({ url: 'http://127.0.0.1:9/apis/ccompat/v7' });
    const decodeError = await rejection(
      createEventCodec(down, { topics }).decode(Buffer.from([0, 0, 0, 0, 1, 0])),
    );
    expect(decodeError).toMatchObject({ code: 'DD_DEPENDENCY_UNAVAILABLE', retriable: true });
    const initError = await rejection(createEventCodec(down, { topics }).init());
    expect(initError.code).toBe('DD_DEPENDENCY_UNAVAILABLE');
    await expect(down.ping()).rejects.toMatchObject({ code: 'DD_DEPENDENCY_UNAVAILABLE' });
    await expect(createEventRegistry({ url: schemaRegistryUrl() }).ping()).resolves.toBeUndefined();
  });
});

describe('several services starting at once on fresh subjects (issue 12)', () => {
  it('all set the compatibility and register: the loser of a concurrent update (409) verifies the state', async () => {
    const topics = freshTopics();
    const codecs = Array.from({ length: 4 }, (_, i) =>
      createEventCodec(createEventRegistry({ url: schemaRegistryUrl() }, `racer-${i}`), { topics }),
    );
    await expect(Promise.all(codecs.map((codec) => codec.init()))).resolves.toHaveLength(4);
    for (const topic of Object.values(topics))
      expect(await compatibilityOf(subjectOf(topic))).toBe('BACKWARD');
    const encoded = codecs.map((codec) => codec.encode(topics.portfolioSubmitted, exampleSubmitted));
    expect(new Set(encoded.map((bytes) => bytes.readInt32BE(1))).size).toBe(1);
  });
});
