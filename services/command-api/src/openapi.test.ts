// The served /openapi.json loads in a standard OpenAPI 3.1 tool: valid, and every $ref resolves
// inside the document (no network, no $id lookups).
import { createLogger } from '@drive-deposits/logging';
import { createMetrics } from '@drive-deposits/runtime';
import { openApiLoadProblems } from '@drive-deposits/testing';
import request from 'supertest';
import { createCommandApi } from './app';
import type { DeleteDeps } from './delete';
import type { SubmitDeps } from './submit';
import { withoutAuthentication } from '@drive-deposits/http';

async function served(): Promise<Record<string, unknown>> {
  const app = createCommandApi({
    logger: createLogger({ service: 'command-api-test', level: 'silent' }),
    metrics: createMetrics({ service: 'command-api-test', defaultMetrics: false }),
    readiness: {},
    authenticate: withoutAuthentication,
    // GET /openapi.json touches none of these
    ...({} as SubmitDeps & DeleteDeps),
  });
  const res = await request(app).get('/openapi.json');
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>;
}

it('serves a valid OpenAPI 3.1 document whose every $ref resolves inside it', async () => {
  const document = await served();
  expect(document.openapi).toBe('3.1.0');
  expect(await openApiLoadProblems(document)).toEqual([]);
});

it('(control) the validator refuses a document with a #/$defs ref left inside a schema, the old form', async () => {
  const document = await served();
  const components = document.components as { schemas: Record<string, Record<string, unknown>> };
  // What the schemas of schemas/ held before bundling: a ref relative to their own $id.
  components.schemas.Old = { type: 'object', properties: { new_delta: { $ref: '#/$defs/NewDelta' } } };
  const problems = await openApiLoadProblems(document);
  expect(problems).toContain('unresolved $ref #/$defs/NewDelta');
  // and the validator itself refuses it, naming the ref
  expect(problems.filter((p) => !p.startsWith('unresolved')).join('\n')).toMatch(/\$defs\/NewDelta/);
});

it('documents the header rules the handlers apply', async () => {
  const document = await served();
  const post = (
    document.paths as Record<
      string,
      { post: { parameters: { name: string; schema: { pattern?: string } }[] } }
    >
  )['/portfolios']?.post;
  const key = post?.parameters.find((p) => p.name === 'Idempotency-Key');
  expect(key?.schema.pattern).toBe('^[\\x21-\\x7e]{1,255}$');
});
