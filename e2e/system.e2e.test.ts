// The whole system as a user meets it: the four built services as real processes on real Kafka, the
// schema registry and MongoDB. A portfolio goes in over HTTP and comes out ranked at every level.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortfolioResponse } from '@drive-deposits/core';
import {
  specExample,
  authHeader,
  buildServices,
  isolatedEnv,
  REPO_ROOT,
  startServiceProcess,
  type ServiceProcess,
} from '@drive-deposits/testing';

interface ExpectedOutcome {
  growth: string;
  amount: string;
  interest: string;
  total: string;
}
interface Expected {
  banks: Array<{
    name: string;
    deposits: Array<{
      account: string;
      interest: string;
      total: string;
      growth: string;
      amount: string;
      maturity_date_in_bank_tz: string;
    }>;
    outcome: ExpectedOutcome;
  }>;
  portfolio: ExpectedOutcome;
}

const request = specExample<object>('portfolio-request-valid.json');
const expected = specExample<Expected>('portfolio-request-valid.expected.json');
const exampleRequests = ['two-banks-2-weeks.json', 'one-bank-1-year.json'].map((file) =>
  readFileSync(join(REPO_ROOT, 'examples/requests', file), 'utf8'),
);

const { name, env } = isolatedEnv('system');
const services: ServiceProcess[] = [];
const url = (service: string) => services.find((s) => s.name === service)!.url;

beforeAll(async () => {
  buildServices();
  // Consumers first, so the topics and read models exist before the first command.
  for (const service of ['calculator', 'projector', 'query-api', 'command-api'] as const) {
    services.push(await startServiceProcess(service, env(service)));
  }
}, 180_000);

afterAll(async () => {
  const codes = await Promise.all(services.map((s) => s.stop()));
  // Graceful shutdown on SIGTERM: every service exits 0.
  expect(codes).toEqual(services.map(() => 0));
});

// Every request as one owner with every scope (packages/testing's test key, which the services trust).
let authorization: { Authorization: string };
beforeAll(async () => {
  authorization = await authHeader({ owner: `system-${name}` });
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url('command-api')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization, ...headers },
    body,
  });

async function getJson(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url('query-api')}${path}`, { headers: authorization });
  return { status: res.status, body: await res.json() };
}

async function untilCalculated(uuid: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { status, body } = await getJson(`/portfolios/${uuid}`);
    if (status === 200 && body.status === 'calculated') return body;
    if (Date.now() > deadline)
      throw new Error(`portfolio ${uuid} not calculated: ${status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function expectMatchesSpec(response: PortfolioResponse): void {
  const outcome = (o: PortfolioResponse['outcome']) => ({
    growth: o.delta?.growth,
    amount: o.maturity?.amount,
    interest: o.maturity?.interest,
    total: o.maturity?.total,
  });
  expect(response.banks.map((b) => b.name)).toEqual(expected.banks.map((b) => b.name));
  response.banks.forEach((bank, i) => {
    const want = expected.banks[i]!;
    expect(outcome(bank.outcome)).toEqual(want.outcome);
    expect(
      bank.deposits.map((d) => ({
        account: d.account,
        interest: d.outcome.maturity?.interest,
        total: d.outcome.maturity?.total,
        growth: d.outcome.delta?.growth,
        amount: d.outcome.maturity?.amount,
        maturity_date_in_bank_tz: d.outcome_with_dates.maturity_date_in_bank_tz,
      })),
    ).toEqual(
      want.deposits.map(({ account, interest, total, growth, amount, maturity_date_in_bank_tz }) => ({
        account,
        interest,
        total,
        growth,
        amount,
        maturity_date_in_bank_tz,
      })),
    );
  });
  expect(outcome(response.outcome)).toEqual(expected.portfolio);
}

const cents = (money: string) => BigInt(money.replace('.', ''));
const byGrowthDesc = (a: string, b: string) => (cents(b) > cents(a) ? 1 : cents(b) < cents(a) ? -1 : 0);

describe('POST a portfolio → calculated → ranked at every level', () => {
  let specPortfolio: PortfolioResponse;
  const others: string[] = [];
  const correlationId = `e2e-${name}`;

  it('answers the original synchronous route with the full, exact response', async () => {
    const res = await post('/api/drive-deposits/calculate-portfolio', JSON.stringify(request), {
      'x-correlation-id': correlationId,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-correlation-id')).toBe(correlationId);
    specPortfolio = (await res.json()) as PortfolioResponse;
    expectMatchesSpec(specPortfolio);
  });

  it('accepts asynchronous commands with 202 and a Location that the query side resolves', async () => {
    for (const body of exampleRequests) {
      const res = await post('/portfolios', body);
      expect(res.status).toBe(202);
      const accepted = (await res.json()) as { portfolio_uuid: string; status: string };
      expect(accepted.status).toBe('accepted');
      expect(res.headers.get('location')).toBe(`/portfolios/${accepted.portfolio_uuid}`);
      others.push(accepted.portfolio_uuid);
    }
    const [status] = await Promise.all([untilCalculated(specPortfolio.uuid), ...others.map(untilCalculated)]);
    expect(status.portfolio).toEqual(specPortfolio);
  });

  it('ranks the portfolios by exact growth, both directions', async () => {
    const all = [specPortfolio.uuid, ...others];
    const growths = await Promise.all(
      all.map(async (uuid) => ({
        uuid,
        growth: (await untilCalculated(uuid)).portfolio.outcome.delta.growth as string,
      })),
    );
    const desc = [...growths].sort((a, b) => byGrowthDesc(a.growth, b.growth)).map((g) => g.uuid);
    const ranked = await getJson('/by-level-for-portfolios/delta-growth?order=desc&top_k=10');
    expect(ranked.status).toBe(200);
    expect(ranked.body.data.responses.map((r: any) => r.portfolio_uuid)).toEqual(desc);
    expect(ranked.body.data.count_responses).toBe(3);
    const asc = await getJson('/by-level-for-portfolios/delta-growth?order=asc&top_k=2');
    expect(asc.body.data.responses.map((r: any) => r.portfolio_uuid)).toEqual(
      [...desc].reverse().slice(0, 2),
    );
    expect(asc.body.metadata).toMatchObject({ order: 'asc', top_k: 2 });
  });

  it("ranks the spec portfolio's banks and deposits by growth and by maturity date", async () => {
    const uuid = specPortfolio.uuid;
    const banks = await getJson(`/portfolios/${uuid}/by-level-for-banks/delta-growth?order=desc`);
    expect(banks.body.data.responses.map((b: any) => b.outcome.delta.growth)).toEqual(
      expected.banks.map((b) => b.outcome.growth).sort(byGrowthDesc),
    );
    const deposits = expected.banks.flatMap((b) => b.deposits);
    const byGrowth = await getJson(
      `/portfolios/${uuid}/by-level-for-deposits/delta-growth?order=desc&top_k=100`,
    );
    expect(byGrowth.body.data.responses.map((d: any) => d.deposit_delta_growth)).toEqual(
      deposits.map((d) => d.growth).sort(byGrowthDesc),
    );
    const byDate = await getJson(
      `/portfolios/${uuid}/by-level-for-deposits/maturity-date?order=asc&top_k=100`,
    );
    expect(byDate.body.data.responses.map((d: any) => d.deposit_maturity_date_in_bank_tz)).toEqual(
      deposits.map((d) => d.maturity_date_in_bank_tz).sort(),
    );
  });

  it('answers bad input with problem+json and never a 5xx', async () => {
    const invalid = await post(
      '/portfolios',
      JSON.stringify({ new_delta: { period: 'x', period_unit: 'Century' } }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const unknown = await getJson(
      `/portfolios/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/by-level-for-banks/delta-growth`,
    );
    expect(unknown.status).toBe(404);
    const operator = await getJson('/by-level-for-portfolios/delta-growth?order[$gt]=');
    expect(operator.status).toBe(400);
  });
});

describe('authentication and owners, on every route of both APIs', () => {
  let uuid: string;
  const api = (service: 'command-api' | 'query-api', method: string, path: string) => ({
    service,
    method,
    path,
  });
  const routes = () => [
    api('command-api', 'POST', '/portfolios'),
    api('command-api', 'POST', '/api/drive-deposits/calculate-portfolio'),
    api('query-api', 'GET', `/portfolios/${uuid}`),
    api('query-api', 'GET', `/portfolios/${uuid}/by-level-for-banks/delta-growth`),
    api('query-api', 'GET', `/portfolios/${uuid}/by-level-for-deposits/delta-growth`),
    api('query-api', 'GET', `/portfolios/${uuid}/by-level-for-deposits/maturity-date`),
    api('query-api', 'GET', '/by-level-for-portfolios/delta-growth'),
    api('command-api', 'DELETE', `/portfolios/${uuid}`),
  ];
  const send = (route: ReturnType<typeof api>, headers: Record<string, string>) =>
    fetch(`${url(route.service)}${route.path}`, {
      method: route.method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(route.method === 'POST' ? { body: exampleRequests[1] } : {}),
    });

  beforeAll(async () => {
    const res = await post('/api/drive-deposits/calculate-portfolio', exampleRequests[1]!);
    expect(res.status).toBe(200);
    uuid = ((await res.json()) as PortfolioResponse).uuid;
  });

  it('no token, or a token not of the issuer: 401 problem with WWW-Authenticate', async () => {
    const forged = await authHeader({ issuer: 'https://elsewhere.example/' });
    for (const headers of [{}, forged, { Authorization: 'Bearer not.a.token' }]) {
      for (const route of routes()) {
        const res = await send(route, headers);
        expect({ ...route, status: res.status }).toEqual({ ...route, status: 401 });
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="drive-deposits"/);
      }
    }
  });

  it('a token without the scope: 403', async () => {
    const none = await authHeader({ owner: `system-${name}`, scopes: [] });
    const readOnly = await authHeader({ owner: `system-${name}`, scopes: ['portfolios:read'] });
    const writeOnly = await authHeader({ owner: `system-${name}`, scopes: ['portfolios:write'] });
    for (const route of routes()) {
      expect({ ...route, status: (await send(route, none)).status }).toEqual({ ...route, status: 403 });
      const wrong = route.service === 'command-api' ? readOnly : writeOnly;
      const res = await send(route, wrong);
      expect({ ...route, status: res.status }).toEqual({ ...route, status: 403 });
      expect(((await res.json()) as { code: string }).code).toBe('DD_FORBIDDEN');
    }
  });

  it("another owner's uuid: 404, never its data — even with every scope", async () => {
    const other = await authHeader({ owner: 'someone-else' });
    for (const route of routes().filter((r) => r.path.includes(uuid))) {
      const res = await send(route, other);
      expect({ ...route, status: res.status }).toEqual({ ...route, status: 404 });
      expect(JSON.stringify(await res.json())).not.toContain('bank_name');
    }
  });

  it("the portfolio ranking is the caller's own; rankings:read:all is every owner's", async () => {
    const ranked = async (headers: Record<string, string>) => {
      const res = await send(
        api('query-api', 'GET', '/by-level-for-portfolios/delta-growth?top_k=1000'),
        headers,
      );
      expect(res.status).toBe(200);
      return (((await res.json()) as any).data.responses as { portfolio_uuid: string }[]).map(
        (p) => p.portfolio_uuid,
      );
    };
    const own = await authHeader({ owner: `system-${name}`, scopes: ['portfolios:read'] });
    const stranger = await authHeader({ owner: 'someone-else', scopes: ['portfolios:read'] });
    const all = await authHeader({ owner: 'auditor', scopes: ['rankings:read:all'] });
    expect(await ranked(own)).toContain(uuid);
    expect(await ranked(stranger)).not.toContain(uuid);
    expect(await ranked(all)).toContain(uuid);
  });

  it('DELETE by its owner: 204, then 404 on every route and gone from the rankings', async () => {
    const owner = await authHeader({ owner: `system-${name}` });
    const res = await send(api('command-api', 'DELETE', `/portfolios/${uuid}`), owner);
    expect(res.status).toBe(204);
    for (const route of routes().filter((r) => r.path.includes(uuid))) {
      const after = await send(route, owner);
      expect({ ...route, status: after.status }).toEqual({ ...route, status: 404 });
    }
    const ranked = await send(
      api('query-api', 'GET', '/by-level-for-portfolios/delta-growth?top_k=1000'),
      await authHeader({ owner: 'auditor', scopes: ['rankings:read:all'] }),
    );
    expect(JSON.stringify(await ranked.json())).not.toContain(uuid);
  });

  it('health, readiness and metrics stay open; security headers on every answer', async () => {
    for (const service of services) {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const res = await fetch(`${service.url}${path}`);
        expect({ service: service.name, path, status: res.status }).toEqual({
          service: service.name,
          path,
          status: 200,
        });
      }
    }
    for (const route of routes()) {
      const res = await send(route, {});
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    }
  });
});
