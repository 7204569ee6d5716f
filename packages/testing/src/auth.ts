// The one way tests authenticate: a key pair made per test worker, the settings (and environment)
// that make a service accept it, and tokens signed with it. startServiceProcess passes the
// environment to every service it starts, so every e2e test gets its tokens from here.
import { generateKeyPairSync, sign } from 'node:crypto';
import { SCOPES } from '@drive-deposits/http';

export const TEST_ISSUER = 'https://issuer.drive-deposits.test/';
export const TEST_AUDIENCE = 'drive-deposits-test';
export const ALL_SCOPES = Object.values(SCOPES);

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const TEST_PRIVATE_KEY = keys.privateKey;
export const TEST_PUBLIC_KEY_PEM = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** What `authenticate` (packages/http) takes to accept the tokens of `testToken`. */
export const testAuthSettings = {
  mode: 'jwt' as const,
  issuer: TEST_ISSUER,
  audience: TEST_AUDIENCE,
  publicKey: TEST_PUBLIC_KEY_PEM,
  ownerClaim: 'sub',
  clockToleranceSeconds: 5,
};

/** The same as environment variables of a service process. */
export const testAuthEnv = (): Record<string, string> => ({
  AUTH_MODE: 'jwt',
  AUTH_ISSUER: TEST_ISSUER,
  AUTH_AUDIENCE: TEST_AUDIENCE,
  AUTH_PUBLIC_KEY: TEST_PUBLIC_KEY_PEM,
});

export interface TestTokenOptions {
  owner?: string;
  scopes?: readonly string[];
  /** seconds from now; negative for an expired token */
  expiresIn?: number;
  /** seconds from now */
  notBefore?: number;
  issuer?: string;
  audience?: string;
  claims?: Record<string, unknown>;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A token the test key signs (ES256), synchronously, for code that cannot wait (request helpers,
 * scripts); by default owner `test-owner` with every scope, valid 1 h. jose verifies it in the services.
 */
export function signTestToken(options: TestTokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    scope: (options.scopes ?? ALL_SCOPES).join(' '),
    sub: options.owner ?? 'test-owner',
    iss: options.issuer ?? TEST_ISSUER,
    aud: options.audience ?? TEST_AUDIENCE,
    iat: now,
    exp: now + (options.expiresIn ?? 3600),
    ...(options.notBefore === undefined ? {} : { nbf: now + options.notBefore }),
    ...options.claims,
  };
  const input = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key: TEST_PRIVATE_KEY, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

export const testToken = async (options?: TestTokenOptions): Promise<string> => signTestToken(options);

/** `{ Authorization: 'Bearer …' }` with a fresh test token. */
export const testAuthorization = (options?: TestTokenOptions): { Authorization: string } => ({
  Authorization: `Bearer ${signTestToken(options)}`,
});

export const authHeader = async (options?: TestTokenOptions): Promise<{ Authorization: string }> =>
  testAuthorization(options);
