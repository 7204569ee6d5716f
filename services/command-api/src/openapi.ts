// The command API's OpenAPI 3.1 document (GET /openapi.json). Request and response bodies are the
// JSON Schemas of schemas/ via core (each has its own $id, so its internal $refs resolve inside it).
import { portfolioRequestSchema, portfolioResponseSchema } from '@drive-deposits/core';
import type { Express } from 'express';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const headers = {
  idempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a retry safe: the same key with the same body answers the same portfolio_uuid and publishes nothing new; with another body it is a 422. 1 to 255 visible ASCII characters; remembered for IDEMPOTENCY_TTL_SECONDS.',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  },
  prefer: {
    name: 'Prefer',
    in: 'header',
    required: false,
    description:
      '`wait=N`: wait up to N seconds (capped by SYNC_WAIT_MAX_SECONDS) for the result (200) before answering 202.',
    schema: { type: 'string', examples: ['wait=10'] },
  },
  correlationId: {
    name: 'X-Correlation-Id',
    in: 'header',
    required: false,
    description: 'Carried into every event and log line; generated when absent. Echoed in the response.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
  },
};

const responses = {
  '200': {
    description: 'Calculated within the wait: the full result.',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/PortfolioResponse' } } },
  },
  '202': {
    description:
      'Accepted: PortfolioSubmitted is durably written. The result will be at Location (served by the query API).',
    headers: { Location: { schema: { type: 'string' }, description: '/portfolios/{portfolio_uuid}' } },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } },
  },
  '400': problem(
    'Invalid request (every invalid field listed in `errors`), malformed JSON, or a bad header.',
  ),
  '409': problem('A request with this Idempotency-Key is still in progress; retry after Retry-After.'),
  '413': problem('The body exceeds 1 MiB.'),
  '415': problem('The body is not JSON.'),
  '422': problem('The Idempotency-Key was used with a different body.'),
  '503': problem(
    'The event is not known to be written durably (Kafka or MongoDB unavailable or too slow). It may ' +
      'still have been accepted: retry after Retry-After with the same Idempotency-Key, which never ' +
      'creates a second portfolio.',
  ),
};

const submit = (summary: string) => ({
  summary,
  parameters: [headers.idempotencyKey, headers.prefer, headers.correlationId],
  requestBody: {
    required: true,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/PortfolioRequest' } } },
  },
  responses,
});

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'DriveDeposits command API', version: '1.0.0' },
  paths: {
    '/portfolios': { post: submit('Submit a portfolio for calculation') },
    '/api/drive-deposits/calculate-portfolio': {
      post: submit('Submit a portfolio and wait for its result (the original route; waits 10 s by default)'),
    },
  },
  components: {
    schemas: {
      PortfolioRequest: portfolioRequestSchema,
      PortfolioResponse: portfolioResponseSchema,
      Accepted: {
        type: 'object',
        required: ['portfolio_uuid', 'status'],
        properties: { portfolio_uuid: { type: 'string', format: 'uuid' }, status: { const: 'accepted' } },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'code', 'correlation_id'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'message'],
              properties: { path: { type: 'string' }, message: { type: 'string' } },
            },
          },
          correlation_id: { type: 'string' },
        },
      },
    },
  },
};

export function serveOpenApi(app: Express): void {
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
}
