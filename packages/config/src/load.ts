// Reads a whole spec at once so a misconfigured deployment fails with every problem listed, not
// one per restart.
import { DriveDepositsError, type FieldError } from '@drive-deposits/core';
import { FALSE_WORDS, type Var } from './vars';

/** A tree of variable declarations; the loaded config has the same shape with values at the leaves. */
export interface Spec {
  readonly [key: string]: Var<unknown> | Spec;
}

export type ConfigOf<S extends Spec> = {
  -readonly [K in keyof S]: S[K] extends Var<infer T> ? T : S[K] extends Spec ? ConfigOf<S[K]> : never;
};

export type Env = Readonly<Record<string, string | undefined>>;

const isVar = (node: Var<unknown> | Spec): node is Var<unknown> => node.kind === 'var';

/** Empty counts as absent: `FOO=` in a compose file or chart means "not set". */
const present = (env: Env, name: string): string | undefined => {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
};

/**
 * `scheme://user:password@host` → `scheme://***@host`: a URL's credentials never reach a log. Up to
 * the authority's last `@`, so a password with an unescaped `@` is masked whole too.
 */
export const maskUrlCredentials = (value: string): string =>
  value.replace(/^([^:/?#]+:\/\/)[^/?#]*@/, '$1***@');

const shown = (declaration: Var<unknown>, raw: string): string =>
  declaration.secret ? '(hidden)' : declaration.isUrl ? maskUrlCredentials(raw) : raw;

/** Set, and for a true-or-false variable not false: what `onlyWith` asks of the other variable. */
const enabled = (env: Env, name: string): boolean => {
  const raw = present(env, name);
  return raw !== undefined && !FALSE_WORDS.includes(raw.trim().toLowerCase());
};

/** The combinations a present variable must respect: `onlyWith` and `conflictsWith`. */
function combinationErrors(declaration: Var<unknown>, env: Env): FieldError[] {
  const errors: FieldError[] = [];
  const other = declaration.onlyWith;
  if (other !== undefined && !enabled(env, other)) {
    const state = present(env, other) === undefined ? 'not set' : 'false';
    errors.push({
      path: declaration.name,
      message: `Set, but ${other} is ${state}. It is only used with ${other}: set that too, or unset this.`,
    });
  }
  const conflicting = declaration.conflictsWith.filter((name) => present(env, name) !== undefined);
  if (conflicting.length > 0) {
    errors.push({
      path: declaration.name,
      message: `Set together with ${conflicting.join(' and ')}. They are alternatives: set only one.`,
    });
  }
  return errors;
}

function readVar(declaration: Var<unknown>, env: Env, errors: FieldError[]): unknown {
  const raw = present(env, declaration.name);
  if (raw !== undefined) errors.push(...combinationErrors(declaration, env));
  if (raw === undefined) {
    if (declaration.default !== undefined) return declaration.default;
    const trigger = declaration.requiredWith;
    if (trigger !== undefined && present(env, trigger) !== undefined) {
      errors.push({ path: declaration.name, message: `Missing. Required when ${trigger} is set.` });
    } else if (!declaration.optional) {
      errors.push({ path: declaration.name, message: `Missing. Must be ${declaration.allowed}.` });
    }
    return undefined;
  }
  const parsed = declaration.parse(raw);
  if (parsed.ok) return parsed.value;
  errors.push({
    path: declaration.name,
    message: `Incorrect value: ${shown(declaration, raw)}. Must be ${declaration.allowed}.`,
  });
  return undefined;
}

function readSpec(spec: Spec, env: Env, errors: FieldError[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(spec)) {
    config[key] = isVar(node) ? readVar(node, env, errors) : readSpec(node, env, errors);
  }
  return config;
}

/**
 * Validates every variable of `spec`; throws one `DD_CONFIG_INVALID` whose `errors` name each
 * missing or invalid variable (`path` is the variable name) and what it allows.
 */
export function loadConfig<S extends Spec>(spec: S, env: Env = process.env): ConfigOf<S> {
  const errors: FieldError[] = [];
  const config = readSpec(spec, env, errors);
  if (errors.length > 0) {
    const names = errors.map((e) => e.path).join(', ');
    throw new DriveDepositsError(
      'DD_CONFIG_INVALID',
      `${errors.length} environment variable${errors.length === 1 ? ' is' : 's are'} invalid: ${names}`,
      { errors },
    );
  }
  return config as ConfigOf<S>;
}

/** The loaded config in a form safe to log: secrets replaced, URL credentials masked. */
export function describeConfig<S extends Spec>(spec: S, config: ConfigOf<S>): Record<string, unknown> {
  const values = config as Record<string, unknown>;
  const described: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(spec)) {
    const value = values[key];
    if (!isVar(node)) {
      described[key] = describeConfig(node, value as ConfigOf<Spec>);
    } else if (value !== undefined && node.secret) {
      described[key] = '(hidden)';
    } else {
      described[key] = node.isUrl && typeof value === 'string' ? maskUrlCredentials(value) : value;
    }
  }
  return described;
}
