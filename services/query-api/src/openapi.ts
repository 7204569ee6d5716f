// OpenAPI 3.1 document of the query API, served at /openapi.json. Response items reuse the
// PortfolioResponse JSON Schema of schemas/ (its $defs: Outcome, OutcomeWithDates, …).
import { portfolioResponseSchema } from '@drive-deposits/core';

const RESPONSE_SCHEMA_ID = portfolioResponseSchema.$id as string;
const def = (name: string) => ({ $ref: `${RESPONSE_SCHEMA_ID}#/$defs/${name}` });
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

const parameters = {
  order: { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' } },
  top_k: { name: 'top_k', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000, default: 10 } },
  cursor: {
    name: 'cursor',
    in: 'query',
    description: 'next_cursor of the previous page (same order)',
    schema: str,
  },
  uuid: { name: 'uuid', in: 'path', required: true, schema: def('Uuid') },
  period: {
    name: 'period',
    in: 'query',
    description: 'with period_unit: only portfolios of this delta period',
    schema: str,
  },
  period_unit: {
    name: 'period_unit',
    in: 'query',
    schema: { type: 'string', enum: ['Day', 'Week', 'Month', 'Year'] },
  },
};

const ranking = (summary: string, itemSchema: string, params: (keyof typeof parameters)[]) => ({
  get: {
    summary,
    parameters: params.map((name) => parameters[name]),
    responses: {
      '200': { description: summary, content: { 'application/json': { schema: page(itemSchema) } } },
      '400': problem,
      ...(params.includes('uuid') ? { '404': problem } : {}),
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
        'Portfolios ranked by portfolio delta growth',
        'PortfolioItem',
        ['order', 'top_k', 'cursor', 'period', 'period_unit'],
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
          parameters: [parameters.uuid],
          responses: {
            '200': {
              description: 'The portfolio',
              content: { 'application/json': { schema: ref('PortfolioStatus') } },
            },
            '400': problem,
            '404': problem,
            '503': problem,
          },
        },
      },
    },
    components: {
      schemas: {
        PortfolioResponse: portfolioResponseSchema,
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
