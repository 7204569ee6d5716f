import { DriveDepositsError } from '@drive-deposits/core';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Type, type Schema } from 'avsc';
import { createEventCodec, type EventCodec } from './codec';
import { exampleCalculated, exampleSubmitted } from './events.fixture';
import type { EventRegistry } from './registry';
import { readEventSchemas } from './schemas';

/** An in-memory registry: ids by schema text, like a real one; `down` makes every call fail. */
function fakeRegistry() {
  const schemas: string[] = [];
  const calls: string[] = [];
  let down = false;
  const failIfDown = () => {
    if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { status: 400 });
  };
  const client = {
    async register(schema: { schema: string }, { subject }: { subject: string }) {
      failIfDown();
      calls.push(`register ${subject}`);
      const known = schemas.indexOf(schema.schema);
      return { id: (known >= 0 ? known : schemas.push(schema.schema) - 1) + 1 };
    },
    async getSchema(id: number) {
      failIfDown();
      const text = schemas[id - 1];
      if (text === undefined) throw Object.assign(new Error('Schema not found'), { status: 404 });
      return Type.forSchema(JSON.parse(text) as Schema);
    },
  };
  const registry: EventRegistry = {
    client: client as unknown as SchemaRegistry,
    setCompatibility: async (subject, level) => {
      if (down) throw new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', 'registry down');
      calls.push(`compatibility ${subject} ${level}`);
    },
    ping: async () => failIfDown(),
  };
  return {
    registry,
    calls,
    /** registers another schema (as another writer would) and returns its id */
    add: (schema: Schema) => schemas.push(JSON.stringify(schema)),
    setDown: (value: boolean) => (down = value),
  };
}

const topics = { portfolioSubmitted: 't.portfolio-submitted', portfolioCalculated: 't.portfolio-calculated' };

async function ready() {
  const fake = fakeRegistry();
  const codec = createEventCodec(fake.registry, { topics });
  await codec.init();
  return { ...fake, codec };
}

async function decodeError(codec: EventCodec, buffer: Buffer): Promise<DriveDepositsError> {
  const error: unknown = await codec.decode(buffer).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DriveDepositsError))
    throw new Error(`expected a DriveDepositsError, got ${String(error)}`);
  return error;
}

describe('event codec', () => {
  it('sets BACKWARD on each <topic>-value subject before registering', async () => {
    const { calls } = await ready();
    expect(calls).toEqual([
      'compatibility t.portfolio-submitted-value BACKWARD',
      'register t.portfolio-submitted-value',
      'compatibility t.portfolio-calculated-value BACKWARD',
      'register t.portfolio-calculated-value',
    ]);
  });

  it('round-trips complete events unchanged, so the schemas mirror the types', async () => {
    const { codec } = await ready();
    const submitted = codec.encode(topics.portfolioSubmitted, exampleSubmitted);
    const calculated = codec.encode(topics.portfolioCalculated, exampleCalculated);
    expect(submitted[0]).toBe(0);
    expect(submitted.readInt32BE(1)).toBe(1);
    expect(await codec.decode(submitted)).toEqual({
      type: 'PortfolioSubmitted',
      event: exampleSubmitted,
      schemaId: 1,
    });
    expect(await codec.decode(calculated, 'PortfolioCalculated')).toEqual(exampleCalculated);
  });

  it('decodes to plain data', async () => {
    const { codec } = await ready();
    const event = await codec.decode(
      codec.encode(topics.portfolioSubmitted, exampleSubmitted),
      'PortfolioSubmitted',
    );
    expect(JSON.parse(JSON.stringify(event))).toStrictEqual(JSON.parse(JSON.stringify(exampleSubmitted)));
    expect(Object.keys(Object.getPrototypeOf(event.portfolio) as object)).toEqual([]);
  });

  it('refuses to encode an event that does not fit the topic, naming the paths', async () => {
    const { codec } = await ready();
    const broken = { ...exampleSubmitted, correlation_id: 42 } as never;
    expect(() => codec.encode(topics.portfolioSubmitted, broken)).toThrow(
      expect.objectContaining({
        code: 'DD_EVENT_INVALID',
        errors: [{ path: 'correlation_id', message: expect.any(String) }],
      }),
    );
    expect(() => codec.encode(topics.portfolioSubmitted, exampleCalculated)).toThrow(
      expect.objectContaining({ code: 'DD_EVENT_INVALID' }),
    );
  });

  it('reads events written with an older schema version through Avro resolution', async () => {
    const { codec, add } = await ready();
    // The writer lacks a field that the reader declares with a default (as after adding a field).
    const schema = JSON.parse(JSON.stringify(readEventSchemas().PortfolioCalculated)) as Schema;
    const text = JSON.stringify(schema).replace(
      /\{"name":"maturity_date_in_bank_tz","type":\["null","string"\],"doc":"[^"]*","default":null\},/,
      '',
    );
    expect(text).not.toContain('maturity_date_in_bank_tz');
    const id = add(JSON.parse(text) as Schema);
    const older = Type.forSchema(JSON.parse(text) as Schema, { wrapUnions: 'never' });
    const { banks } = exampleCalculated.portfolio;
    const event = {
      ...exampleCalculated,
      portfolio: {
        ...exampleCalculated.portfolio,
        banks: banks.map((b) => ({
          ...b,
          deposits: b.deposits.map((d) => ({
            ...d,
            outcome_with_dates: { start_date_in_bank_tz: '2019-01-01', errors: [] },
          })),
        })),
      },
    };
    const header = Buffer.from([0, 0, 0, 0, id]);
    const decoded = await codec.decode(Buffer.concat([header, older.toBuffer(event)]), 'PortfolioCalculated');
    expect(decoded.portfolio.banks[0]?.deposits[0]?.outcome_with_dates).toEqual({
      start_date_in_bank_tz: '2019-01-01',
      maturity_date_in_bank_tz: null,
      errors: [],
    });
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['too short', Buffer.from([0, 0, 1])],
    ['JSON text', Buffer.from('{"event_id":"x"}')],
  ])('reports %s bytes as DD_EVENT_UNDECODABLE', async (_name, bytes) => {
    const { codec } = await ready();
    const error = await decodeError(codec, bytes);
    expect(error.code).toBe('DD_EVENT_UNDECODABLE');
    expect(error.retriable).toBe(false);
  });

  it('reports an unknown schema id, a foreign schema and a corrupt body as DD_EVENT_UNDECODABLE', async () => {
    const { codec, add } = await ready();
    expect((await decodeError(codec, Buffer.from([0, 0, 0, 0, 99]))).message).toBe('Unknown schema id 99');
    const foreign = add({ type: 'record', name: 'Other', fields: [{ name: 'a', type: 'string' }] });
    const foreignError = await decodeError(codec, Buffer.from([0, 0, 0, 0, foreign, 2, 65]));
    expect(foreignError.message).toBe('Schema 3 (Other) is not an event this service reads');
    const truncated = codec.encode(topics.portfolioSubmitted, exampleSubmitted).subarray(0, 40);
    expect((await decodeError(codec, truncated)).code).toBe('DD_EVENT_UNDECODABLE');
  });

  it('reports the other event type as undecodable when a type is expected', async () => {
    const { codec } = await ready();
    const calculated = codec.encode(topics.portfolioCalculated, exampleCalculated);
    await expect(codec.decode(calculated, 'PortfolioSubmitted')).rejects.toMatchObject({
      code: 'DD_EVENT_UNDECODABLE',
      message: 'Expected PortfolioSubmitted, got PortfolioCalculated (schema 2)',
    });
  });

  it('reports an unreachable registry as retriable DD_DEPENDENCY_UNAVAILABLE, never undecodable', async () => {
    const { codec, add, setDown } = await ready();
    const id = add(readEventSchemas().PortfolioSubmitted); // an id this codec has not seen yet
    setDown(true);
    const error = await decodeError(codec, Buffer.from([0, 0, 0, 0, id, 0]));
    expect(error.code).toBe('DD_DEPENDENCY_UNAVAILABLE');
    expect(error.retriable).toBe(true);
    // ids learned at init need no registry
    const known = codec.encode(topics.portfolioSubmitted, exampleSubmitted);
    await expect(codec.decode(known)).resolves.toMatchObject({ type: 'PortfolioSubmitted' });
  });

  it('fails init with DD_DEPENDENCY_UNAVAILABLE when the registry is down', async () => {
    const fake = fakeRegistry();
    fake.setDown(true);
    await expect(createEventCodec(fake.registry, { topics }).init()).rejects.toMatchObject({
      code: 'DD_DEPENDENCY_UNAVAILABLE',
    });
  });
});
