// The JSON Schemas of the request and the response, read from the repository's schemas/ folder:
// those files are the single source (the HTTP layer's OpenAPI documents reuse them). They are
// loaded as modules rather than imported, because a TypeScript import would have to sit under
// this package's rootDir. The relative path is the same from src/ (tests) and dist/ (built), and
// the Dockerfile ships schemas/ beside packages/.

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/* eslint-disable @typescript-eslint/no-require-imports -- JSON files outside rootDir, see above */
export const portfolioRequestSchema: JsonSchema = require('../../../schemas/portfolio-request.schema.json');
export const portfolioResponseSchema: JsonSchema = require('../../../schemas/portfolio-response.schema.json');
/* eslint-enable @typescript-eslint/no-require-imports */
