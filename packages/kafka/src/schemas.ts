// The Avro schemas of the events are files in `schemas/events/` at the repository root (the public
// contract, reviewed as files). They are read at run time, not bundled, from the schemas/ folder
// core finds (findSchemasDir: src/, dist/ and the images alike). Another layout passes the folder
// explicitly (createEventCodec's `schemasDir`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSchemasDir } from '@drive-deposits/core';
import type { Schema } from 'avsc';

export const EVENT_SCHEMA_FILES = {
  PortfolioSubmitted: 'portfolio-submitted.avsc',
  PortfolioCalculated: 'portfolio-calculated.avsc',
  PortfolioDeleted: 'portfolio-deleted.avsc',
} as const;

export type EventType = keyof typeof EVENT_SCHEMA_FILES;

export const findEventSchemasDir = (start: string = __dirname): string =>
  join(findSchemasDir(start), 'events');

export function readEventSchemas(dir: string = findEventSchemasDir()): Record<EventType, Schema> {
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Schema;
  return {
    PortfolioSubmitted: read(EVENT_SCHEMA_FILES.PortfolioSubmitted),
    PortfolioCalculated: read(EVENT_SCHEMA_FILES.PortfolioCalculated),
    PortfolioDeleted: read(EVENT_SCHEMA_FILES.PortfolioDeleted),
  };
}
