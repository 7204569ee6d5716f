// The local key pair and tokens of scripts/start.sh: the APIs' own authenticate() accepts them.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@drive-deposits/logging';
import { authenticate, createHttpApp, finishHttpApp } from '@drive-deposits/http';
import { createMetrics } from '@drive-deposits/runtime';
import request from 'supertest';
import { readFileSync } from 'node:fs';
import { ensureLocalKeys, localAuthEnv, localToken } from './local-token';

const dir = join(mkdtempSync(join(tmpdir(), 'dd-auth-')), 'auth');

it('makes the keys once, the private key readable by its owner only', () => {
  const keys = ensureLocalKeys(dir);
  expect(statSync(keys.privateKeyFile).mode & 0o777).toBe(0o600);
  const again = ensureLocalKeys(dir);
  expect(readFileSync(again.publicKeyFile, 'utf8')).toBe(readFileSync(keys.publicKeyFile, 'utf8'));
});

it('its token is accepted by the settings it prints, as owner demo with every scope', async () => {
  const keys = ensureLocalKeys(dir);
  const env = localAuthEnv(keys);
  const app = createHttpApp({
    logger: createLogger({ service: 'local-token-test', level: 'silent' }),
    metrics: createMetrics({ service: 'local-token-test', defaultMetrics: false }),
    readiness: {},
    authenticate: authenticate({
      mode: 'jwt',
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      publicKey: readFileSync(env.AUTH_PUBLIC_KEY_FILE!, 'utf8'),
      ownerClaim: 'sub',
      clockToleranceSeconds: 0,
    }),
  });
  app.get('/who', (req, res) => {
    res.json({ owner: req.principal.owner, scopes: [...req.principal.scopes] });
  });
  finishHttpApp(app);
  const res = await request(app)
    .get('/who')
    .set('Authorization', `Bearer ${await localToken(keys)}`);
  expect(res.body).toEqual({
    owner: 'demo',
    scopes: ['portfolios:write', 'portfolios:read', 'rankings:read:all'],
  });
  const expired = await localToken(keys, { ttlSeconds: -60 });
  expect((await request(app).get('/who').set('Authorization', `Bearer ${expired}`)).status).toBe(401);
});
