// The Location of a 202 answers at once, never 404: the command API writes the portfolio's
// `accepted` status to the read model before it answers. Here no projector (and no calculator)
// runs at all, so nothing else could have written it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authHeader,
  buildServices,
  isolatedEnv,
  REPO_ROOT,
  startServiceProcess,
  type ServiceProcess,
} from '@drive-deposits/testing';

const { env } = isolatedEnv('location');
const services: ServiceProcess[] = [];
const url = (service: string) => services.find((s) => s.name === service)!.url;
const body = readFileSync(join(REPO_ROOT, 'examples/requests/one-bank-1-year.json'), 'utf8');

beforeAll(async () => {
  buildServices();
  for (const service of ['query-api', 'command-api'] as const) {
    services.push(await startServiceProcess(service, env(service)));
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
});

it.each([
  ['POST /portfolios', '/portfolios', {}],
  ['a keyed POST and its replay', '/portfolios', { 'idempotency-key': `location-${Date.now()}` }],
  ['Prefer: wait=1 that times out', '/portfolios', { prefer: 'wait=1' }],
])(
  '%s: the Location answers 200 accepted at once',
  async (_label, path, headers) => {
    const authorization = await authHeader();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${url('command-api')}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authorization, ...headers },
        body,
      });
      expect(res.status).toBe(202);
      const { portfolio_uuid: uuid } = (await res.json()) as { portfolio_uuid: string };
      const location = res.headers.get('location');
      expect(location).toBe(`/portfolios/${uuid}`);
      const status = await fetch(`${url('query-api')}${location}`, { headers: authorization });
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ portfolio_uuid: uuid, status: 'accepted' });
    }
  },
  30_000,
);
