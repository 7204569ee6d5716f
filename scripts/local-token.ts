// Local authentication for scripts/start.sh: a signing key pair in the clone's ignored .run/auth/
// (made once, the private key readable by its owner only), the settings that make the APIs trust it,
// and tokens signed with it.
//   tsx scripts/local-token.ts env                  AUTH_* lines for the services (makes the keys if missing)
//   tsx scripts/local-token.ts token [owner] [ttl]  a token (default owner demo, every scope, 8 h)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { SCOPES } from '@drive-deposits/http';
import { SignJWT } from 'jose';

export const LOCAL_ISSUER = 'http://127.0.0.1/drive-deposits-local';
export const LOCAL_AUDIENCE = 'drive-deposits';
export const LOCAL_SCOPES = Object.values(SCOPES);
export const DEFAULT_AUTH_DIR = join(__dirname, '..', '.run', 'auth');

export interface LocalKeys {
  privateKeyFile: string;
  publicKeyFile: string;
}

/** The key pair in `dir`, made (ES256, P-256) when missing. */
export function ensureLocalKeys(dir: string = DEFAULT_AUTH_DIR): LocalKeys {
  const keys = { privateKeyFile: join(dir, 'private.pem'), publicKeyFile: join(dir, 'public.pem') };
  if (existsSync(keys.privateKeyFile) && existsSync(keys.publicKeyFile)) return keys;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(keys.privateKeyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  writeFileSync(keys.publicKeyFile, pair.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return keys;
}

/** The AUTH_* environment that makes both APIs accept tokens of `localToken`. */
export const localAuthEnv = (keys: LocalKeys): Record<string, string> => ({
  AUTH_MODE: 'jwt',
  AUTH_ISSUER: LOCAL_ISSUER,
  AUTH_AUDIENCE: LOCAL_AUDIENCE,
  AUTH_PUBLIC_KEY_FILE: keys.publicKeyFile,
});

export async function localToken(
  keys: LocalKeys,
  {
    owner = 'demo',
    scopes = LOCAL_SCOPES,
    ttlSeconds = 8 * 3600,
  }: { owner?: string; scopes?: string[]; ttlSeconds?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(owner)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(createPrivateKey(readFileSync(keys.privateKeyFile)));
}

async function main(args: string[]): Promise<void> {
  const keys = ensureLocalKeys(process.env.DD_AUTH_DIR ?? DEFAULT_AUTH_DIR);
  const [command, owner, ttl] = args;
  if (command === 'env') {
    for (const [name, value] of Object.entries(localAuthEnv(keys))) console.log(`${name}=${value}`);
  } else if (command === 'token') {
    console.log(
      await localToken(keys, { owner: owner ?? 'demo', ttlSeconds: ttl ? Number(ttl) : undefined }),
    );
  } else {
    console.error('usage: tsx scripts/local-token.ts env | token [owner] [ttl-seconds]');
    process.exit(2);
  }
}

if (require.main === module) void main(process.argv.slice(2));
