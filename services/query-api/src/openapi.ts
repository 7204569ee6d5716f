// OpenAPI 3.1 document of the query API, served at /openapi.json. Response items reuse the
// PortfolioResponse JSON Schema of schemas/, bundled into components (every $ref resolves inside
// the document); parameters are the very rules the routes apply (routes.ts).
import { portfolioResponseSchema } from '@drive-deposits/core';
import { authResponses, BEARER_SECURITY, bundleSchemas, openApiQueryParameters } from '@drive-deposits/http';
import { UUID_PATTERN } from '@drive-deposits/core';
import { PORTFOLIO_RANKING_PARAMS } from './routes';

const bundled = bundleSchemas({ PortfolioResponse: portfolioResponseSchema });
const def = (name: string) => bundled.ref('PortfolioResponse', name);
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };

const item = (properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});

const page = (itemSchema: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['data', 'metadata'],
  properties: {
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['responses', 'count_responses'],
      properties: {
        responses: { type: 'array', items: ref(itemSchema) },
        count_responses: { type: 'integer', minimum: 0 },
        next_cursor: { type: 'string', description: 'Present when more items follow: pass it as `cursor`.' },
      },
    },
    metadata: ref('Metadata'),
  },
});

const problem = {
  description: 'A problem (RFC 9457)',
  content: { 'application/problem+json': { schema: ref('Problem') } },
};

const problemWith = (description: string) => ({ ...problem, description });
const auth = authResponses(problemWith);

const query = openApiQueryParameters(PORTFOLIO_RANKING_PARAMS, {
  order: 'Sort direction (ties by created_at, then uuid, the same way).',
  top_k: 'How many items (0 to 1000).',
  cursor: 'next_cursor of the previous page (same route and order); any other value is a 400.',
  period:
    'With period_unit: only portfolios of this delta period (1.0 Month = 1 Month). A decimal greater than 0 with at most 10 decimals; period and period_unit go together (one without the other is a 400).',
  period_unit: 'With period: the unit of the delta period.',
});
const parameters: Record<keyof typeof PORTFOLIO_RANKING_PARAMS | 'uuid', Record<string, unknown>> = {
  ...(Object.fromEntries(query.map((parameter) => [parameter.name, parameter])) as Record<
    keyof typeof PORTFOLIO_RANKING_PARAMS,
    Record<string, unknown>
  >),
  uuid: {
    name: 'uuid',
    in: 'path',
    required: true,
    description: 'A portfolio uuid, lower case.',
    schema: { type: 'string', pattern: UUID_PATTERN.source },
  },
};

const ranking = (
  summary: string,
  itemSchema: string,
  params: (keyof typeof parameters)[],
  scopes: string[] = ['portfolios:read'],
) => ({
  get: {
    summary,
    security: BEARER_SECURITY.requirement(...scopes),
    parameters: params.map((name) => parameters[name]),
    responses: {
      '200': { description: summary, content: { 'application/json': { schema: page(itemSchema) } } },
      '400': problem,
      ...auth,
      ...(params.includes('uuid')
        ? { '404': problemWith("Unknown, deleted, or another owner's portfolio.") }
        : {}),
      '503': problem,
    },
  },
});

export function queryApiOpenApi() {
  return {
    openapi: '3.1.0',
    info: { title: 'DriveDeposits query API', version: '1.0.0' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
      '/by-level-for-portfolios/delta-growth': ranking(
        "Portfolios ranked by portfolio delta growth: the caller's own (portfolios:read), or every owner's (rankings:read:all)",
        'PortfolioItem',
        ['order', 'top_k', 'cursor', 'period', 'period_unit'],
        ['portfolios:read', 'rankings:read:all'],
      ),
      '/portfolios/{uuid}/by-level-for-banks/delta-growth': ranking(
        "A portfolio's banks ranked by bank delta growth",
        'BankItem',
        ['uuid', 'order', 'top_k', 'cursor'],
      ),
      '/portfolios/{uuid}/by-level-for-deposits/delta-growth': ranking(
        "A portfolio's deposits ranked by deposit delta growth",
        'DepositItem',
        ['uuid', 'order', 'top_k', 'cursor'],
      ),
      '/portfolios/{uuid}/by-level-for-deposits/maturity-date': ranking(
        "A portfolio's deposits ranked by maturity date",
        'DepositItem',
        ['uuid', 'order', 'top_k', 'cursor'],
      ),
      '/portfolios/{uuid}': {
        get: {
          summary: "A portfolio's status, and its result once calculated",
          security: BEARER_SECURITY.requirement('portfolios:read'),
          parameters: [parameters.uuid],
          responses: {
            '200': {
              description: 'The portfolio',
              content: { 'application/json': { schema: ref('PortfolioStatus') } },
            },
            '400': problem,
            ...auth,
            '404': problemWith("Unknown, deleted, or another owner's portfolio."),
            '503': problem,
          },
        },
      },
    },
    components: {
      securitySchemes: BEARER_SECURITY.schemes,
      schemas: {
        ...bundled.schemas,
        Metadata: item({
          order: { type: 'string', enum: ['asc', 'desc'] },
          top_k: { type: 'integer' },
          sort_criteria_description: str,
        }),
        PortfolioItem: item({ portfolio_uuid: def('Uuid'), outcome: def('Outcome'), created_at: str }),
        BankItem: item({
          bank_uuid: def('Uuid'),
          bank_name: str,
          portfolio_uuid: def('Uuid'),
          bank_tz: str,
          outcome: def('Outcome'),
          created_at: str,
        }),
        DepositItem: item({
          deposit_uuid: def('Uuid'),
          bank_uuid: def('Uuid'),
          bank_name: str,
          portfolio_uuid: def('Uuid'),
          account: str,
          account_type: str,
          apy: str,
          years: str,
          deposit_delta_growth: nullableStr,
          deposit_maturity_date_in_bank_tz: nullableStr,
          outcome: def('Outcome'),
          outcome_with_dates: def('OutcomeWithDates'),
          created_at: str,
        }),
        PortfolioStatus: {
          type: 'object',
          additionalProperties: false,
          required: ['portfolio_uuid', 'status', 'created_at'],
          properties: {
            portfolio_uuid: def('Uuid'),
            status: { type: 'string', enum: ['accepted', 'calculated', 'failed'] },
            created_at: nullableStr,
            portfolio: ref('PortfolioResponse'),
            error: item({ code: str, message: str }),
          },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code', 'correlation_id'],
          properties: {
            type: str,
            title: str,
            status: { type: 'integer' },
            detail: str,
            code: str,
            correlation_id: str,
            errors: { type: 'array', items: item({ path: str, message: str }) },
          },
        },
      },
    },
  };
}
