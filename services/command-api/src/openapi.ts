// The command API's OpenAPI 3.1 document (GET /openapi.json). Request and response bodies are the
// JSON Schemas of schemas/ via core, bundled into components (every $ref resolves inside the
// document); header rules are the patterns the handlers apply.
import { portfolioRequestSchema, portfolioResponseSchema } from '@drive-deposits/core';
import { authResponses, BEARER_SECURITY, bundleSchemas, USABLE_CORRELATION_ID } from '@drive-deposits/http';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency';

const bundled = bundleSchemas({
  PortfolioRequest: portfolioRequestSchema,
  PortfolioResponse: portfolioResponseSchema,
});

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
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
  },
  prefer: {
    name: 'Prefer',
    in: 'header',
    required: false,
    description:
      '`wait=N` (N a whole number of seconds): wait up to N seconds (capped by SYNC_WAIT_MAX_SECONDS) for the result (200) before answering 202. As RFC 7240 requires, a preference the server cannot honour (another preference, or a `wait` that is not a whole number) is ignored.',
    schema: { type: 'string', examples: ['wait=10'] },
  },
  correlationId: {
    name: 'X-Correlation-Id',
    in: 'header',
    required: false,
    description: `Carried into every event and log line and echoed in the response when it matches ${USABLE_CORRELATION_ID.source}; otherwise (or when absent) a new UUID is used instead.`,
    schema: { type: 'string' },
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
  ...authResponses(problem),
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
  security: BEARER_SECURITY.requirement('portfolios:write'),
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
    '/portfolios/{uuid}': {
      delete: {
        summary:
          'Delete one of your portfolios: PortfolioDeleted is written, its read-model documents removed; GET answers 404 from the answer on',
        security: BEARER_SECURITY.requirement('portfolios:write'),
        parameters: [
          {
            name: 'uuid',
            in: 'path',
            required: true,
            description: 'A portfolio uuid, lower case.',
            schema: {
              type: 'string',
              pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
            },
          },
          headers.correlationId,
        ],
        responses: {
          '204': { description: 'Deleted: the event is durable and the portfolio no longer answers.' },
          '400': problem('The uuid is not a lower-case UUID.'),
          ...authResponses(problem),
          '404': problem("Unknown, already deleted, or another owner's portfolio."),
          '503': problem('Kafka or MongoDB unavailable: nothing was deleted, or not known to be; retry.'),
        },
      },
    },
  },
  components: {
    securitySchemes: BEARER_SECURITY.schemes,
    schemas: {
      ...bundled.schemas,
      Accepted: {
        type: 'object',
        required: ['portfolio_uuid', 'status'],
        properties: {
          portfolio_uuid: bundled.ref('PortfolioResponse', 'Uuid'),
          status: { const: 'accepted' },
        },
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
