// The AUTH_* variables taken together: with AUTH_MODE=jwt (the default) an API does not start
// without an issuer, an audience and a key source; AUTH_PUBLIC_KEY_FILE is read here, once.
import { readFileSync } from 'node:fs';
import { DriveDepositsError, type FieldError } from '@drive-deposits/core';
import type { authSpec } from './common';
import type { ConfigOf } from './load';

export type AuthConfig = ConfigOf<ReturnType<typeof authSpec>>;

/** The settings packages/http `authenticate` takes, or DD_CONFIG_INVALID listing every gap. */
export function resolveAuth(auth: AuthConfig): Omit<AuthConfig, 'publicKeyFile'> {
  const { publicKeyFile, ...settings } = auth;
  if (settings.mode === 'off') return settings;
  const errors: FieldError[] = [];
  const required = 'Missing. Required when AUTH_MODE=jwt (set AUTH_MODE=off to run without authentication).';
  if (settings.issuer === undefined) errors.push({ path: 'AUTH_ISSUER', message: required });
  if (settings.audience === undefined) errors.push({ path: 'AUTH_AUDIENCE', message: required });
  let publicKey = settings.publicKey;
  if (publicKeyFile !== undefined) {
    try {
      publicKey = readFileSync(publicKeyFile, 'utf8');
    } catch (error) {
      errors.push({ path: 'AUTH_PUBLIC_KEY_FILE', message: `Unreadable: ${(error as Error).message}.` });
    }
  }
  const sources = [settings.jwksUrl, publicKey].filter((s) => s !== undefined).length;
  if (sources === 0 && errors.every((e) => e.path !== 'AUTH_PUBLIC_KEY_FILE')) {
    errors.push({
      path: 'AUTH_JWKS_URL',
      message: `${required} Or give AUTH_PUBLIC_KEY or AUTH_PUBLIC_KEY_FILE.`,
    });
  }
  if (sources > 1)
    errors.push({ path: 'AUTH_JWKS_URL', message: 'Give AUTH_JWKS_URL or a public key, not both.' });
  if (errors.length > 0) {
    throw new DriveDepositsError('DD_CONFIG_INVALID', 'Invalid configuration: authentication.', { errors });
  }
  return { ...settings, publicKey };
}
