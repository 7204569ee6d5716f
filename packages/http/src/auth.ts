// Bearer-token authentication of both APIs (RFC 6750): a JWT verified by jose against the
// issuer's JWKS or one configured public key, with issuer, audience, expiry, not-before and a clock
// tolerance; `alg: none` and symmetric algorithms are never accepted. The verified token becomes
// `req.principal = { owner, scopes }`; `requireScope` guards each route. Failures are problem+json:
// 401 DD_UNAUTHENTICATED with `WWW-Authenticate`, 403 DD_FORBIDDEN naming the missing scope.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { DriveDepositsError } from '@drive-deposits/core';
import type { RequestHandler } from 'express';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { createVerifiedTokens, VERIFIED_TOKENS } from './verified-tokens';

export const SCOPES = {
  write: 'portfolios:write',
  read: 'portfolios:read',
  rankingsAll: 'rankings:read:all',
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export interface Principal {
  /** the owner of what this caller submits and may read (the AUTH_OWNER_CLAIM claim) */
  owner: string;
  scopes: ReadonlySet<string>;
  /** AUTH_MODE=off only: one user, who reads every portfolio whoever owns it */
  anyOwner?: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** set by `authenticate` on every route behind it */
    principal: Principal;
  }
}

export interface AuthSettings {
  mode: 'jwt' | 'off';
  issuer?: string | undefined;
  audience?: string | undefined;
  jwksUrl?: string | undefined;
  /** a PEM public key (SPKI) or a public JWK as JSON */
  publicKey?: string | undefined;
  /** the claim naming the owner (`sub` by default) */
  ownerClaim: string;
  clockToleranceSeconds: number;
}

/** Asymmetric algorithms only: a public key can never verify an HMAC token made with it as secret. */
export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** A longer Authorization header is refused before any parsing (real tokens are ≤ a few KiB). */
export const MAX_AUTHORIZATION_LENGTH = 8192;
const MAX_OWNER_LENGTH = 256;

/** With AUTH_MODE=off every caller is this owner with every scope (local experiments only). */
export const ANONYMOUS: Principal = {
  owner: 'anonymous',
  scopes: new Set(Object.values(SCOPES)),
  anyOwner: true,
};

/**
 * Whether the caller may see this portfolio (its read-model status document, or null when there is
 * none): it exists, is not deleted, and is the caller's. Every other case answers the same 404, so
 * a caller never learns that another owner's portfolio exists.
 */
export const visiblePortfolio = <D extends { owner?: string | null; status: string }>(
  principal: Principal,
  doc: D | null | undefined,
): doc is D =>
  doc !== null &&
  doc !== undefined &&
  doc.status !== 'deleted' &&
  (principal.anyOwner === true || doc.owner === principal.owner);

const REALM = 'realm="drive-deposits"';

/** A 401 and its RFC 6750 challenge (set on the response before the problem is thrown). */
class Unauthenticated extends DriveDepositsError {
  readonly challenge: string;
  constructor(detail: string, error?: 'invalid_request' | 'invalid_token') {
    super('DD_UNAUTHENTICATED', detail);
    this.challenge =
      error === undefined
        ? `Bearer ${REALM}`
        : `Bearer ${REALM}, error="${error}", error_description="${detail}"`;
  }
}
const unauthenticated = (detail: string, error?: 'invalid_request' | 'invalid_token') =>
  new Unauthenticated(detail, error);

function keyFrom(publicKey: string): KeyObject {
  const text = publicKey.trim();
  const jwk = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  // createPublicKey would derive the public half of a private key: refuse it, it must not be here.
  if (/PRIVATE KEY/.test(text) || (jwk !== undefined && 'd' in jwk)) {
    throw new Error('a private key was given; give the public key only');
  }
  return jwk === undefined ? createPublicKey(text) : createPublicKey({ key: jwk as never, format: 'jwk' });
}

/** The settings as a key source; throws DD_CONFIG_INVALID listing every missing or unusable one. */
function verifierKey(settings: AuthSettings): KeyObject | JWTVerifyGetKey {
  const problems: { path: string; message: string }[] = [];
  if (!settings.issuer)
    problems.push({ path: 'AUTH_ISSUER', message: 'Missing. Required when AUTH_MODE=jwt.' });
  if (!settings.audience)
    problems.push({ path: 'AUTH_AUDIENCE', message: 'Missing. Required when AUTH_MODE=jwt.' });
  if (!settings.jwksUrl && !settings.publicKey) {
    problems.push({
      path: 'AUTH_JWKS_URL',
      message: 'Missing. AUTH_JWKS_URL or AUTH_PUBLIC_KEY(_FILE) is required when AUTH_MODE=jwt.',
    });
  }
  let key: KeyObject | JWTVerifyGetKey | undefined;
  try {
    // The set is fetched again after a minute as verified tokens are checked again after a minute:
    // a key the issuer withdraws is honoured for two minutes at most.
    if (settings.jwksUrl) {
      key = createRemoteJWKSet(new URL(settings.jwksUrl), {
        cooldownDuration: 30_000,
        cacheMaxAge: VERIFIED_TOKENS.ttlMs,
      });
    } else if (settings.publicKey) key = keyFrom(settings.publicKey);
  } catch (error) {
    problems.push({
      path: settings.jwksUrl ? 'AUTH_JWKS_URL' : 'AUTH_PUBLIC_KEY',
      message: `Unusable: ${error instanceof Error ? error.message : String(error)}.`,
    });
  }
  if (problems.length > 0 || key === undefined) {
    throw new DriveDepositsError('DD_CONFIG_INVALID', 'Authentication is not configured.', {
      errors: problems,
    });
  }
  return key;
}

/** Space-separated `scope` (RFC 8693) or an `scp` array (as some issuers write it). */
function scopesOf(payload: JWTPayload): Set<string> {
  const scope = payload.scope;
  const scp = payload.scp;
  const list = typeof scope === 'string' ? scope.split(' ') : Array.isArray(scp) ? scp : [];
  return new Set(list.filter((s): s is string => typeof s === 'string' && s !== ''));
}

function bearerToken(header: string | undefined): string {
  if (header === undefined || header === '') throw unauthenticated('A bearer token is required.');
  if (header.length > MAX_AUTHORIZATION_LENGTH) {
    throw unauthenticated(
      `The Authorization header is longer than ${MAX_AUTHORIZATION_LENGTH} bytes.`,
      'invalid_request',
    );
  }
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (match === null)
    throw unauthenticated('The Authorization header must be "Bearer <token>".', 'invalid_request');
  return match[1]!;
}

const why = (error: unknown): string => {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `The token's ${error.claim} claim is not accepted.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted.";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "The token's key is unknown.";
  return 'The token is invalid.';
};

/**
 * The middleware that authenticates every request behind it. Builds its key source at once, so a
 * missing or unusable setting fails the start (DD_CONFIG_INVALID) instead of each request.
 */
export function authenticate(settings: AuthSettings): RequestHandler {
  if (settings.mode === 'off') {
    return (req, _res, next) => {
      req.principal = ANONYMOUS;
      next();
    };
  }
  const key = verifierKey(settings);
  const options = {
    issuer: settings.issuer!,
    audience: settings.audience!,
    algorithms: ALLOWED_ALGORITHMS,
    clockTolerance: settings.clockToleranceSeconds,
    requiredClaims: ['exp'],
  };
  const verified = createVerifiedTokens<Principal>();
  const verify: RequestHandler = async (req, _res, next) => {
    const token = bearerToken(req.get('Authorization'));
    const known = verified.get(token);
    if (known !== undefined) {
      req.principal = known;
      return next();
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as never, options));
    } catch (error) {
      // The JWKS endpoint down, slow or answering nonsense is ours to fix, not the caller's: 503.
      const jwksFailed =
        !(error instanceof joseErrors.JOSEError) ||
        error instanceof joseErrors.JWKSTimeout ||
        error instanceof joseErrors.JWKSInvalid;
      if (jwksFailed) {
        throw new DriveDepositsError(
          'DD_DEPENDENCY_UNAVAILABLE',
          "The token issuer's keys cannot be fetched.",
          {
            cause: error,
            retryAfterSeconds: 1,
          },
        );
      }
      throw unauthenticated(why(error), 'invalid_token');
    }
    const owner = payload[settings.ownerClaim];
    if (typeof owner !== 'string' || owner === '' || owner.length > MAX_OWNER_LENGTH) {
      throw unauthenticated(
        `The token has no usable ${settings.ownerClaim.slice(0, 50)} claim.`,
        'invalid_token',
      );
    }
    req.principal = { owner, scopes: scopesOf(payload) };
    // exp is a required claim, so jwtVerify has checked it is there
    verified.set(token, req.principal, (payload.exp! + settings.clockToleranceSeconds) * 1000);
    next();
  };
  return async (req, res, next) => {
    try {
      await verify(req, res, next);
    } catch (error) {
      if (error instanceof Unauthenticated) res.setHeader('WWW-Authenticate', error.challenge);
      throw error;
    }
  };
}

/** 403 unless the caller's token has `scope`. */
export function requireScope(scope: Scope): RequestHandler {
  return (req, res, next) => {
    if (!req.principal.scopes.has(scope)) {
      res.setHeader('WWW-Authenticate', `Bearer ${REALM}, error="insufficient_scope", scope="${scope}"`);
      throw new DriveDepositsError('DD_FORBIDDEN', `This needs the scope ${scope}.`);
    }
    next();
  };
}

export const hasScope = (req: { principal: Principal }, scope: Scope): boolean =>
  req.principal.scopes.has(scope);

/** AUTH_MODE=off as a handler, for in-process tests of something else than authentication. */
export const withoutAuthentication: RequestHandler = authenticate({
  mode: 'off',
  ownerClaim: 'sub',
  clockToleranceSeconds: 0,
});
