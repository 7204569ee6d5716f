// The Avro schemas of the events are files in `schemas/events/` at the repository root (the public
// contract, reviewed as files). They are read at run time, not bundled: the folder is found by
// walking up from this module, which works from `src/` (jest, tsx), from `dist/` and in the images
// (the Dockerfile copies `schemas/` to /app/schemas beside /app/packages). Another layout passes
// the folder explicitly (createEventCodec's `schemasDir`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Schema } from 'avsc';

export const EVENT_SCHEMA_FILES = {
  PortfolioSubmitted: 'portfolio-submitted.avsc',
  PortfolioCalculated: 'portfolio-calculated.avsc',
  PortfolioDeleted: 'portfolio-deleted.avsc',
} as const;

export type EventType = keyof typeof EVENT_SCHEMA_FILES;

export function findEventSchemasDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'schemas', 'events');
    if (existsSync(join(candidate, EVENT_SCHEMA_FILES.PortfolioSubmitted))) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`schemas/events/ not found in ${start} or any folder above it`);
    }
  }
}

export function readEventSchemas(dir: string = findEventSchemasDir()): Record<EventType, Schema> {
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Schema;
  return {
    PortfolioSubmitted: read(EVENT_SCHEMA_FILES.PortfolioSubmitted),
    PortfolioCalculated: read(EVENT_SCHEMA_FILES.PortfolioCalculated),
    PortfolioDeleted: read(EVENT_SCHEMA_FILES.PortfolioDeleted),
  };
}
