// The one way tests authenticate: a key pair made per test worker, the settings (and environment)
// that make a service accept it, and tokens signed with it. startServiceProcess passes the
// environment to every service it starts, so every e2e test gets its tokens from here.
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';

export const TEST_ISSUER = 'https://issuer.drive-deposits.test/';
export const TEST_AUDIENCE = 'drive-deposits-test';
export const ALL_SCOPES = ['portfolios:write', 'portfolios:read', 'rankings:read:all'] as const;

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

/** A token the test key signs (ES256); by default owner `test-owner` with every scope, valid 1 h. */
export async function testToken(options: TestTokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ scope: (options.scopes ?? ALL_SCOPES).join(' '), ...options.claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(options.owner ?? 'test-owner')
    .setIssuer(options.issuer ?? TEST_ISSUER)
    .setAudience(options.audience ?? TEST_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign(TEST_PRIVATE_KEY);
}

/** `{ Authorization: 'Bearer …' }` for a fresh test token. */
export const authHeader = async (options?: TestTokenOptions): Promise<{ Authorization: string }> => ({
  Authorization: `Bearer ${await testToken(options)}`,
});
