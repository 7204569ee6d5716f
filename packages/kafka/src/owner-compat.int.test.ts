// Issue 15: `owner` was added to PortfolioSubmitted and PortfolioCalculated as ["null","string"]
// default null. The real registry's BACKWARD check accepts the new schema over the previous one
// (the file without `owner`), and an event written with the previous schema still decodes (owner null).
import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';
import { schemaRegistryUrl, uniqueName } from '@drive-deposits/testing';
import { Type, type Schema } from 'avsc';
import { createEventCodec, subjectOf } from './codec';
import { exampleCalculated, exampleSubmitted } from './events.fixture';
import { createEventRegistry } from './registry';
import { readEventSchemas, type EventType } from './schemas';

type RecordSchema = { fields: { name: string }[] };
const withoutOwner = (schema: Schema): RecordSchema => {
  const record = schema as RecordSchema;
  return { ...record, fields: record.fields.filter((field) => field.name !== 'owner') };
};

/** The Confluent wire format: magic byte 0, the schema id (4 bytes), the Avro body. */
const wire = (id: number, body: Buffer) => {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, body]);
};

const CASES: [EventType, 'portfolioSubmitted' | 'portfolioCalculated', object][] = [
  ['PortfolioSubmitted', 'portfolioSubmitted', exampleSubmitted],
  ['PortfolioCalculated', 'portfolioCalculated', exampleCalculated],
];

describe.each(CASES)('%s gains owner', (eventType, topicKey, example) => {
  it('the registry accepts the new schema over the previous one (BACKWARD), and an old event still decodes', async () => {
    const prefix = `${uniqueName('owner')}.`;
    const topics = {
      portfolioSubmitted: `${prefix}portfolio-submitted`,
      portfolioCalculated: `${prefix}portfolio-calculated`,
    };
    const registry = createEventRegistry({ url: schemaRegistryUrl() });
    const previous = withoutOwner(readEventSchemas()[eventType]);
    const { id: previousId } = await registry.client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(previous) },
      { subject: subjectOf(topics[topicKey]), compatibility: COMPATIBILITY.BACKWARD },
    );
    const { owner: _, ...oldEvent } = example as { owner?: string };
    const oldBytes = wire(previousId, Type.forSchema(previous as Schema).toBuffer(oldEvent));

    // This build's start: sets BACKWARD and registers the new schema; the registry checks it
    // against the previous version and would refuse it (DD_SCHEMA_INCOMPATIBLE) if it could not read it.
    const codec = createEventCodec(registry, { topics });
    await codec.init();
    const versions = (await (
      await fetch(
        `${schemaRegistryUrl()}/subjects/${encodeURIComponent(subjectOf(topics[topicKey]))}/versions`,
      )
    ).json()) as number[];
    expect(versions).toHaveLength(2);

    expect(await codec.decode(oldBytes, eventType)).toEqual({ ...oldEvent, owner: null });
    const newBytes = codec.encode(topics[topicKey], example as never);
    expect(await codec.decode(newBytes, eventType)).toEqual(example);
  });

  it('control: owner as a plain string without a default would be refused by the same check', async () => {
    const subject = subjectOf(`${uniqueName('owner-strict')}.${topicKey}`);
    const registry = createEventRegistry({ url: schemaRegistryUrl() });
    const previous = withoutOwner(readEventSchemas()[eventType]);
    await registry.client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(previous) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );
    const strict = { ...previous, fields: [...previous.fields, { name: 'owner', type: 'string' }] };
    await expect(
      registry.client.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(strict) },
        { subject, compatibility: COMPATIBILITY.BACKWARD },
      ),
    ).rejects.toMatchObject({ status: 409 });
  });
});
