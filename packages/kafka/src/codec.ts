// Events on the wire: Confluent framing (magic byte 0, 4-byte schema id, Avro body), one subject
// per topic (`<topic>-value`, BACKWARD compatible). Decoding reads with this build's schema (the
// reader) whatever schema version wrote the event (the writer), as Avro schema resolution allows.
import {
  DriveDepositsError,
  type FieldError,
  type PortfolioCalculated,
  type PortfolioDeleted,
  type PortfolioSubmitted,
} from '@drive-deposits/core';
import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Type, type Resolver, type Schema } from 'avsc';
import { unavailable, type EventRegistry } from './registry';
import { readEventSchemas, type EventType } from './schemas';

export interface EventsByType {
  PortfolioSubmitted: PortfolioSubmitted;
  PortfolioCalculated: PortfolioCalculated;
  PortfolioDeleted: PortfolioDeleted;
}

export type DecodedEvent = {
  [T in EventType]: { type: T; event: EventsByType[T]; schemaId: number };
}[EventType];

export interface EventCodecOptions {
  /** portfolioDeleted: only the services that write or read deletions register its subject */
  topics: { portfolioSubmitted: string; portfolioCalculated: string; portfolioDeleted?: string };
  /** the folder of the .avsc files; found automatically by default (see schemas.ts) */
  schemasDir?: string;
}

export interface EventCodec {
  /** sets each subject to BACKWARD and registers this build's schemas (idempotent) */
  init(): Promise<void>;
  /** throws DD_EVENT_INVALID (with the invalid paths) when the event does not fit the topic's schema */
  encode(topic: string, event: PortfolioSubmitted | PortfolioCalculated | PortfolioDeleted): Buffer;
  /**
   * Throws DD_EVENT_UNDECODABLE for bytes that are not an event (dead-letter them) and a retriable
   * DD_DEPENDENCY_UNAVAILABLE when the registry cannot be asked (retry, never dead-letter).
   */
  decode(buffer: Buffer): Promise<DecodedEvent>;
  decode<T extends EventType>(buffer: Buffer, expected: T): Promise<EventsByType[T]>;
}

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

// Decoded records are plain data (no avsc methods on them), ready for MongoDB or JSON. A new object
// per call: avsc stores its registry of named types in the options it is given.
const readerType = (schema: Schema) =>
  Type.forSchema(schema, { omitRecordMethods: true, wrapUnions: 'never' });

export const subjectOf = (topic: string) => `${topic}-value`;

const undecodable = (detail: string, cause?: unknown) =>
  new DriveDepositsError('DD_EVENT_UNDECODABLE', detail, cause === undefined ? {} : { cause });

function invalidPaths(type: Type, event: unknown): FieldError[] {
  const errors: FieldError[] = [];
  type.isValid(event, {
    errorHook: (path) => errors.push({ path: path.join('.'), message: 'Does not match the event schema.' }),
  });
  return errors;
}

/** A registry answer that proves the id does not exist, as opposed to a registry we cannot reach. */
const isNotFound = (error: unknown) => (error as { status?: unknown } | null)?.status === 404;

interface Reader {
  eventType: EventType;
  type: Type;
  /** absent when the writer schema is the reader schema */
  resolver?: Resolver;
}

export function createEventCodec(registry: EventRegistry, options: EventCodecOptions): EventCodec {
  const schemas = readEventSchemas(options.schemasDir);
  const readerTypes = {
    PortfolioSubmitted: readerType(schemas.PortfolioSubmitted),
    PortfolioCalculated: readerType(schemas.PortfolioCalculated),
    PortfolioDeleted: readerType(schemas.PortfolioDeleted),
  };
  const typeByName = new Map<string | undefined, EventType>(
    (Object.keys(readerTypes) as EventType[]).map((eventType) => [readerTypes[eventType].name, eventType]),
  );
  const topicTypes: [string, EventType][] = [
    [options.topics.portfolioSubmitted, 'PortfolioSubmitted'],
    [options.topics.portfolioCalculated, 'PortfolioCalculated'],
    ...(options.topics.portfolioDeleted === undefined
      ? []
      : [[options.topics.portfolioDeleted, 'PortfolioDeleted'] as [string, EventType]]),
  ];
  const writers = new Map<string, { id: number; type: Type }>();
  const readers = new Map<number, Reader>();

  async function register(topic: string, eventType: EventType): Promise<void> {
    const subject = subjectOf(topic);
    await registry.setCompatibility(subject, 'BACKWARD');
    const schema = { type: SchemaType.AVRO as const, schema: JSON.stringify(schemas[eventType]) };
    let id: number;
    try {
      ({ id } = await registry.client.register(schema, { subject, compatibility: COMPATIBILITY.BACKWARD }));
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 409 || status === 422) {
        // A concurrent writer may have registered this very schema: then the state is the one wanted.
        const existing = await registry.client.getRegistryIdBySchema(subject, schema).catch(() => undefined);
        if (existing !== undefined) {
          writers.set(topic, { id: existing, type: readerTypes[eventType] });
          readers.set(existing, { eventType, type: readerTypes[eventType] });
          return;
        }
        throw new DriveDepositsError(
          'DD_SCHEMA_INCOMPATIBLE',
          `${eventType} schema cannot be registered under ${subject}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      throw unavailable(`registering ${subject}`, error);
    }
    writers.set(topic, { id, type: readerTypes[eventType] });
    readers.set(id, { eventType, type: readerTypes[eventType] });
  }

  async function readerFor(id: number): Promise<Reader> {
    const known = readers.get(id);
    if (known !== undefined) return known;
    let writer: Type;
    try {
      writer = (await registry.client.getSchema(id)) as unknown as Type;
    } catch (error) {
      if (isNotFound(error)) throw undecodable(`Unknown schema id ${id}`, error);
      throw unavailable(`fetching schema ${id}`, error);
    }
    const eventType = typeByName.get(writer.name);
    if (eventType === undefined)
      throw undecodable(`Schema ${id} (${writer.name ?? 'unnamed'}) is not an event this service reads`);
    const type = readerTypes[eventType];
    let resolver: Resolver;
    try {
      resolver = type.createResolver(writer);
    } catch (error) {
      throw undecodable(
        `Schema ${id} cannot be read as this build's ${eventType}: ${(error as Error).message}`,
        error,
      );
    }
    const reader = { eventType, type, resolver };
    readers.set(id, reader);
    return reader;
  }

  async function decode(
    buffer: Buffer,
    expected?: EventType,
  ): Promise<DecodedEvent | EventsByType[EventType]> {
    if (buffer.length < HEADER_LENGTH || buffer[0] !== MAGIC_BYTE) {
      throw undecodable(
        `Not in schema-registry framing: ${buffer.length} bytes, first byte ${buffer[0] ?? 'none'} (expected ${MAGIC_BYTE} and a schema id)`,
      );
    }
    const schemaId = buffer.readInt32BE(1);
    const reader = await readerFor(schemaId);
    if (expected !== undefined && reader.eventType !== expected) {
      throw undecodable(`Expected ${expected}, got ${reader.eventType} (schema ${schemaId})`);
    }
    let event: unknown;
    try {
      event = reader.type.fromBuffer(buffer.subarray(HEADER_LENGTH), reader.resolver);
    } catch (error) {
      throw undecodable(`Avro body of schema ${schemaId} is corrupt: ${(error as Error).message}`, error);
    }
    return expected === undefined
      ? ({ type: reader.eventType, event, schemaId } as DecodedEvent)
      : (event as EventsByType[EventType]);
  }

  return {
    async init() {
      for (const [topic, eventType] of topicTypes) await register(topic, eventType);
    },
    encode(topic, event) {
      const writer = writers.get(topic);
      if (writer === undefined)
        throw new Error(`No event schema registered for topic ${topic} (call init first)`);
      let body: Buffer;
      try {
        body = writer.type.toBuffer(event);
      } catch (error) {
        // Only now walk the event again: avsc's own error names no path, isValid's hook does.
        throw new DriveDepositsError('DD_EVENT_INVALID', `Event does not fit the schema of ${topic}`, {
          errors: invalidPaths(writer.type, event),
          cause: error,
        });
      }
      const header = Buffer.alloc(HEADER_LENGTH);
      header.writeUInt8(MAGIC_BYTE, 0);
      header.writeInt32BE(writer.id, 1);
      return Buffer.concat([header, body]);
    },
    decode: decode as EventCodec['decode'],
  };
}
