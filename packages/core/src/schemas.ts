// The JSON Schemas of the request and the response, read from the repository's schemas/ folder:
// those files are the single source (the HTTP layer's OpenAPI documents and the Kafka codec's Avro
// schemas come from the same folder). The folder is found once, by walking up from this module:
// that works from src/ (jest, tsx), from dist/ and in the images (the Dockerfile ships schemas/
// beside packages/), without reaching outside this package's rootDir at compile time.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Readonly<Record<string, unknown>>;

const REQUEST_SCHEMA_FILE = 'portfolio-request.schema.json';

/** The repository's `schemas/` folder: the first one above `start` holding the request schema. */
export function findSchemasDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, REQUEST_SCHEMA_FILE))) return candidate;
    if (dirname(dir) === dir) throw new Error(`schemas/${REQUEST_SCHEMA_FILE} not found above ${start}`);
  }
}

/** The checkout (or, in an image, the folder) holding `schemas/`. */
export const repoRoot = (start: string = __dirname): string => dirname(findSchemasDir(start));

const SCHEMAS_DIR = findSchemasDir();
const readSchema = (file: string): JsonSchema =>
  JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8')) as JsonSchema;

export const portfolioRequestSchema: JsonSchema = readSchema(REQUEST_SCHEMA_FILE);
export const portfolioResponseSchema: JsonSchema = readSchema('portfolio-response.schema.json');
