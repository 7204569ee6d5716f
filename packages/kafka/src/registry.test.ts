import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventRegistry, registryAuthorization } from './registry';

describe('registryAuthorization', () => {
  it('is basic auth from the user and password, else the bearer token, else none', () => {
    expect(registryAuthorization({ url: 'http://r' })).toBeUndefined();
    expect(registryAuthorization({ url: 'http://r', username: 'u', password: 'p' })?.()).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
    expect(registryAuthorization({ url: 'http://r', bearerToken: 'tok\n' })?.()).toBe('Bearer tok');
  });

  it('reads the token file for each request, so a rotated token is used at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-registry-'));
    const path = join(dir, 'token');
    writeFileSync(path, 'first\n');
    const authorization = registryAuthorization({ url: 'http://r', bearerTokenFile: path })!;
    expect(authorization()).toBe('Bearer first');
    writeFileSync(path, 'second');
    expect(authorization()).toBe('Bearer second');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('createEventRegistry sends the Authorization header', () => {
  let server: Server;
  let base: string;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    // A stand-in registry in this process: answers every request, recording its headers.
    server = createServer((request, response) => {
      seen.push(request.headers);
      if (request.headers.authorization === 'Bearer wrong') {
        response.statusCode = 401;
        response.end('{"error_code":401,"message":"Unauthorized"}');
        return;
      }
      response.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
      response.end(
        request.url?.startsWith('/subjects')
          ? JSON.stringify({ id: 7 })
          : '{"compatibilityLevel":"BACKWARD"}',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (seen.length = 0));

  it('on its own REST calls and on the library client', async () => {
    const registry = createEventRegistry({ url: base, bearerToken: 'tok' });
    await registry.ping();
    await registry.setCompatibility('s-value', 'BACKWARD');
    await registry.client.getLatestSchemaId('s-value').catch(() => undefined);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const headers of seen) expect(headers.authorization).toBe('Bearer tok');
  });

  it('names refused credentials as such, and does not retry them', async () => {
    const refused = createEventRegistry({ url: base, bearerToken: 'wrong' }).ping();
    await expect(refused).rejects.toMatchObject({
      code: 'DD_DEPENDENCY_UNAVAILABLE',
      retriable: false,
      message: expect.stringMatching(
        /^Schema registry refused the credentials .* while answering readiness: HTTP 401/,
      ),
    });
  });

  it('not at all without credentials', async () => {
    await createEventRegistry({ url: base }).ping();
    expect(seen[0]?.authorization).toBeUndefined();
  });
});
