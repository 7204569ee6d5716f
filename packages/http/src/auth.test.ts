// authenticate + requireScope on a real express app: what is accepted, what is refused and how
// (problem+json 401 with WWW-Authenticate, 403), keys from a configured PEM or a JWKS served locally.
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createLogger } from '@drive-deposits/logging';
import { createMetrics } from '@drive-deposits/runtime';
import fc from 'fast-check';
import { exportJWK, SignJWT } from 'jose';
import request from 'supertest';
import { createHttpApp, finishHttpApp } from './app';
import { authenticate, MAX_AUTHORIZATION_LENGTH, requireScope, SCOPES, type AuthSettings } from './auth';

const ISSUER = 'https://issuer.example/';
const AUDIENCE = 'drive-deposits';
const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keys = ec();
const otherKeys = ec();
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

const settings = (overrides: Partial<AuthSettings> = {}): AuthSettings => ({
  mode: 'jwt',
  issuer: ISSUER,
  audience: AUDIENCE,
  publicKey: pem(keys.publicKey),
  ownerClaim: 'sub',
  clockToleranceSeconds: 30,
  ...overrides,
});

function appWith(auth: AuthSettings) {
  const app = createHttpApp({
    logger: createLogger({ service: 'auth-test', level: 'silent' }),
    metrics: createMetrics({ service: 'auth-test', defaultMetrics: false }),
    readiness: {},
    openApi: { openapi: '3.1.0' },
    authenticate: authenticate(auth),
  });
  app.get('/mine', requireScope(SCOPES.read), (req, res) => {
    res.json({ owner: req.principal.owner, scopes: [...req.principal.scopes].sort() });
  });
  app.post('/write', requireScope(SCOPES.write), (_req, res) => {
    res.status(202).json({});
  });
  return finishHttpApp(app);
}

const now = () => Math.floor(Date.now() / 1000);

interface TokenOptions {
  key?: KeyObject;
  alg?: string;
  kid?: string;
  claims?: Record<string, unknown>;
  exp?: number;
  nbf?: number;
  iss?: string;
  aud?: string;
  sub?: string | null;
}
async function token(o: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ scope: 'portfolios:read portfolios:write', ...o.claims })
    .setProtectedHeader({ alg: o.alg ?? 'ES256', ...(o.kid ? { kid: o.kid } : {}) })
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? AUDIENCE)
    .setExpirationTime(o.exp ?? now() + 600);
  if (o.sub !== null) jwt.setSubject(o.sub ?? 'alice');
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign(o.key ?? keys.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = () => ({
  sub: 'alice',
  iss: ISSUER,
  aud: AUDIENCE,
  exp: now() + 600,
  scope: 'portfolios:read',
});

const app = appWith(settings());
const get = (authorization?: string) => {
  const req = request(app).get('/mine');
  return authorization === undefined ? req : req.set('Authorization', authorization);
};

function expect401(res: request.Response, error?: string) {
  expect(res.status).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 401, code: 'DD_UNAUTHENTICATED' });
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="drive-deposits"/);
  if (error !== undefined) expect(res.headers['www-authenticate']).toContain(`error="${error}"`);
}

describe('a valid token', () => {
  it('sets the principal: owner from sub, scopes from `scope`', async () => {
    const res = await get(`Bearer ${await token()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ owner: 'alice', scopes: ['portfolios:read', 'portfolios:write'] });
  });

  it('reads scopes from an `scp` array too, and the owner from a configured tenant claim', async () => {
    const tenantApp = appWith(settings({ ownerClaim: 'tenant' }));
    const jwt = await token({ claims: { scope: undefined, scp: ['portfolios:read'], tenant: 'acme' } });
    const res = await request(tenantApp).get('/mine').set('Authorization', `Bearer ${jwt}`);
    expect(res.body).toEqual({ owner: 'acme', scopes: ['portfolios:read'] });
  });

  it('is accepted within the clock tolerance after exp and before nbf', async () => {
    expect((await get(`Bearer ${await token({ exp: now() - 10 })}`)).status).toBe(200);
    expect((await get(`Bearer ${await token({ nbf: now() + 10 })}`)).status).toBe(200);
  });
});

describe('401: no usable token', () => {
  it('no Authorization header: a bare challenge', async () => {
    const res = await get();
    expect401(res);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="drive-deposits"');
  });

  it.each(['Basic YWxpY2U6c2VjcmV0', 'Bearer', 'Bearer  ', 'bearer a b', 'Token abc'])(
    'a malformed header: %s',
    async (header) => expect401(await get(header), 'invalid_request'),
  );

  it('expired beyond the tolerance', async () => {
    const res = await get(`Bearer ${await token({ exp: now() - 120 })}`);
    expect401(res, 'invalid_token');
    expect(res.body.detail).toBe('The token has expired.');
  });

  it('not yet valid (nbf beyond the tolerance)', async () => {
    expect401(await get(`Bearer ${await token({ nbf: now() + 120 })}`), 'invalid_token');
  });

  it('without exp', async () => {
    const signed = await new SignJWT({ scope: 'portfolios:read' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .sign(keys.privateKey);
    expect401(await get(`Bearer ${signed}`), 'invalid_token');
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example/' }],
    ['another audience', { aud: 'someone-else' }],
  ])('%s', async (_case, options) => expect401(await get(`Bearer ${await token(options)}`), 'invalid_token'));

  it('forged: signed by another key', async () => {
    expect401(await get(`Bearer ${await token({ key: otherKeys.privateKey })}`), 'invalid_token');
  });

  it('forged: a valid token with its payload changed', async () => {
    const [header, , signature] = (await token()).split('.');
    const tampered = `${header}.${b64({ ...claims(), sub: 'mallory' })}.${signature}`;
    expect401(await get(`Bearer ${tampered}`), 'invalid_token');
  });

  it('alg: none (unsigned), with or without a signature part', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}`;
    expect401(await get(`Bearer ${unsigned}.`), 'invalid_token');
    expect401(await get(`Bearer ${unsigned}`), 'invalid_token');
  });

  it('alg: HS256 signed with the public key as its secret (algorithm confusion)', async () => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`;
    const mac = createHmac('sha256', pem(keys.publicKey)).update(input).digest('base64url');
    expect401(await get(`Bearer ${input}.${mac}`), 'invalid_token');
  });

  it('oversized: an Authorization header over the limit is refused before parsing', async () => {
    const big = await token({ claims: { pad: 'x'.repeat(MAX_AUTHORIZATION_LENGTH) } });
    const res = await get(`Bearer ${big}`);
    expect401(res, 'invalid_request');
  });

  it('without an owner claim', async () => {
    expect401(await get(`Bearer ${await token({ sub: null })}`), 'invalid_token');
  });

  it('an owner claim that is not a string', async () => {
    const tenantApp = appWith(settings({ ownerClaim: 'tenant' }));
    const jwt = await token({ claims: { tenant: { id: 1 } } });
    expect401(await request(tenantApp).get('/mine').set('Authorization', `Bearer ${jwt}`), 'invalid_token');
  });

  it('fuzz: any Authorization header is a 401 problem, never a 500 or a pass', async () => {
    const valid = await token();
    const arbitrary = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((s) => `Bearer ${s}`),
      fc.base64String({ maxLength: 300 }).map((s) => `Bearer ${s}.${s}.${s}`),
      fc.nat({ max: valid.length - 2 }).map((cut) => `Bearer ${valid.slice(0, cut)}`),
      fc
        .tuple(fc.nat({ max: valid.length - 1 }), fc.constantFrom('A', '_', '-', '.', '0'))
        .map(([at, c]) => `Bearer ${valid.slice(0, at)}${c}${valid.slice(at + 1)}`)
        .filter((h) => h !== `Bearer ${valid}`),
    );
    // Header values HTTP cannot carry (control characters) are refused by the client, not the API.
    const sendable = arbitrary.filter((h) => /^[\t\x20-\x7e]*$/.test(h) && h.trim() === h);
    await fc.assert(
      fc.asyncProperty(sendable, async (header) => {
        const res = await get(header);
        // A single changed character of a signature may still decode to the same bytes (base64url padding bits).
        if (res.status === 200) return;
        expect401(res);
      }),
      { numRuns: 300, seed: 15 },
    );
  }, 30_000);
});

describe('403: a valid token without the scope', () => {
  it('names the scope in the problem and the challenge', async () => {
    const jwt = await token({ claims: { scope: 'portfolios:write' } });
    const res = await get(`Bearer ${jwt}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'DD_FORBIDDEN', detail: 'This needs the scope portfolios:read.' });
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope", scope="portfolios:read"');
  });

  it('before the body is read: a write without portfolios:write', async () => {
    const jwt = await token({ claims: { scope: 'portfolios:read' } });
    const res = await request(app).post('/write').set('Authorization', `Bearer ${jwt}`).send({ a: 1 });
    expect(res.status).toBe(403);
  });
});

describe('unauthenticated on purpose', () => {
  it.each(['/healthz', '/readyz', '/metrics', '/openapi.json'])('%s', async (path) => {
    expect((await request(app).get(path)).status).toBe(200);
  });

  it('a body is not read before authentication: a 401, not a 415 or 400', async () => {
    const res = await request(app).post('/write').set('Content-Type', 'text/plain').send('hello');
    expect401(res);
  });

  it('unknown routes answer 401 too (no route enumeration without a token)', async () => {
    expect401(await request(app).get('/nothing-here'));
  });
});

describe('security headers (helmet) on every answer', () => {
  it.each([
    ['/healthz', undefined],
    ['/mine', undefined],
  ])('%s', async (path) => {
    const res = await request(app).get(path);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('keys from a JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let fetches = 0;
  /** the keys the issuer publishes instead of k1, when set */
  let published: unknown[] | undefined;
  beforeAll(async () => {
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published ?? [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('accepts a token whose kid is in the set, fetching the set once', async () => {
    const jwksApp = appWith(settings({ publicKey: undefined, jwksUrl }));
    for (let i = 0; i < 3; i++) {
      const res = await request(jwksApp)
        .get('/mine')
        .set('Authorization', `Bearer ${await token({ kid: 'k1' })}`);
      expect(res.status).toBe(200);
    }
    expect(fetches).toBe(1);
  });

  it('refuses an unknown kid and a token signed by another key under a known kid', async () => {
    const jwksApp = appWith(settings({ publicKey: undefined, jwksUrl }));
    const unknown = await token({ kid: 'k2', key: otherKeys.privateKey });
    expect401(await request(jwksApp).get('/mine').set('Authorization', `Bearer ${unknown}`), 'invalid_token');
    const forged = await token({ kid: 'k1', key: otherKeys.privateKey });
    expect401(await request(jwksApp).get('/mine').set('Authorization', `Bearer ${forged}`), 'invalid_token');
  });

  it('honours a verified token for at most two minutes after its key left the set', async () => {
    const jwksApp = appWith(settings({ publicKey: undefined, jwksUrl }));
    const jwt = await token({ kid: 'k1' });
    const ask = () => request(jwksApp).get('/mine').set('Authorization', `Bearer ${jwt}`);
    expect((await ask()).status).toBe(200);
    published = []; // the issuer withdraws k1
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockImplementation(() => start + 59_000);
      expect((await ask()).status).toBe(200); // verified before: not checked again yet
      clock.mockImplementation(() => start + 121_000);
      expect401(await ask(), 'invalid_token'); // verified again, the set fetched again: no k1
    } finally {
      clock.mockRestore();
      published = undefined;
    }
  });

  it('an unreachable JWKS is a 503 the caller may retry, not a 401', async () => {
    const deadApp = appWith(settings({ publicKey: undefined, jwksUrl: 'http://127.0.0.1:9/jwks.json' }));
    const res = await request(deadApp)
      .get('/mine')
      .set('Authorization', `Bearer ${await token({ kid: 'k1' })}`);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('DD_DEPENDENCY_UNAVAILABLE');
  });
});

describe('settings', () => {
  it.each([
    [{ issuer: undefined }, 'AUTH_ISSUER'],
    [{ audience: undefined }, 'AUTH_AUDIENCE'],
    [{ publicKey: undefined }, 'AUTH_JWKS_URL'],
    [{ publicKey: 'not a key' }, 'AUTH_PUBLIC_KEY'],
  ])('jwt without %p fails at once naming %s', (overrides, name) => {
    expect(() => authenticate(settings(overrides))).toThrow(
      expect.objectContaining({
        code: 'DD_CONFIG_INVALID',
        errors: [expect.objectContaining({ path: name })],
      }),
    );
  });

  it('a private key as the public key is refused', () => {
    const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => authenticate(settings({ publicKey: privatePem }))).toThrow(
      expect.objectContaining({
        code: 'DD_CONFIG_INVALID',
        errors: [expect.objectContaining({ path: 'AUTH_PUBLIC_KEY' })],
      }),
    );
  });

  it('a public JWK as JSON works like a PEM', async () => {
    const jwkApp = appWith(settings({ publicKey: JSON.stringify(await exportJWK(keys.publicKey)) }));
    const res = await request(jwkApp)
      .get('/mine')
      .set('Authorization', `Bearer ${await token()}`);
    expect(res.status).toBe(200);
  });

  it('off: every caller is the anonymous owner with every scope', async () => {
    const offApp = appWith({ mode: 'off', ownerClaim: 'sub', clockToleranceSeconds: 0 });
    const res = await request(offApp).get('/mine');
    expect(res.body.owner).toBe('anonymous');
  });
});
