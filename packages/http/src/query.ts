// Query parameters read defensively: a parameter is one string, never an array (`?a=1&a=2`) or an
// object (`?a[$gt]=`), and unknown parameters are refused rather than silently ignored.
import {
  DriveDepositsError,
  incorrectShown,
  mustBe,
  UUID_PATTERN,
  type FieldError,
} from '@drive-deposits/core';

export interface QueryParam<T> {
  /** completes "Must be …" (core's mustBe, shared with request validation) */
  allowed: string;
  default: T;
  parse(raw: string): { ok: true; value: T } | { ok: false };
  /** the same rule as a JSON Schema, for the OpenAPI document (built from the same values as `parse`) */
  schema: Record<string, unknown>;
}

type ParamValues<S extends Record<string, QueryParam<unknown>>> = {
  [K in keyof S]: S[K] extends QueryParam<infer T> ? T : never;
};

const ok = <T>(value: T) => ({ ok: true as const, value });
const invalid = { ok: false as const };

function oneOf<const V extends readonly string[]>(
  values: V,
  options: { default: V[number] },
): QueryParam<V[number]>;
function oneOf<const V extends readonly string[]>(values: V): QueryParam<V[number] | undefined>;
function oneOf<const V extends readonly string[]>(
  values: V,
  options?: { default: V[number] },
): QueryParam<V[number] | undefined> {
  return {
    allowed: `one of ${values.join(', ')}`,
    default: options?.default,
    parse: (raw) => (values.includes(raw) ? ok(raw as V[number]) : invalid),
    schema: { type: 'string', enum: [...values], ...(options ? { default: options.default } : {}) },
  };
}

export const queryParam = {
  int: ({
    min,
    max,
    default: fallback,
  }: {
    min: number;
    max: number;
    default: number;
  }): QueryParam<number> => ({
    allowed: `an integer from ${min} to ${max}`,
    default: fallback,
    parse: (raw) => {
      const value = Number(raw);
      return /^[0-9]{1,15}$/.test(raw) && value >= min && value <= max ? ok(value) : invalid;
    },
    schema: { type: 'integer', minimum: min, maximum: max, default: fallback },
  }),
  /** with a default, or absent → `undefined` */
  oneOf,
  /** `pattern` anchored (^…$), without flags, in the syntax both ECMAScript and JSON Schema read */
  string: ({ pattern, allowed }: { pattern: RegExp; allowed: string }): QueryParam<string | undefined> => {
    if (pattern.flags !== '' || !pattern.source.startsWith('^') || !pattern.source.endsWith('$'))
      throw new Error(`Query parameter pattern ${String(pattern)} must be anchored and have no flags.`);
    return {
      allowed,
      default: undefined,
      parse: (raw) => (pattern.test(raw) ? ok(raw) : invalid),
      schema: { type: 'string', pattern: pattern.source },
    };
  },
};

/**
 * The OpenAPI `in: query` parameters of `spec`, their schemas the very rules the server applies;
 * `descriptions` by parameter name. Rules that tie parameters together belong in the description.
 */
export function openApiQueryParameters(
  spec: Record<string, QueryParam<unknown>>,
  descriptions: Record<string, string> = {},
): Record<string, unknown>[] {
  return Object.entries(spec).map(([name, param]) => ({
    name,
    in: 'query',
    required: false,
    description: descriptions[name] ?? mustBe(param.allowed),
    schema: param.schema,
  }));
}

const MAX_ECHO = 100;

/**
 * Reads `query` (express `req.query`) by `spec`, collecting every problem into one 400
 * `DD_INVALID_PARAMETER` with an `errors` entry per parameter.
 */
export function parseQuery<S extends Record<string, QueryParam<unknown>>>(
  query: unknown,
  spec: S,
): ParamValues<S> {
  const source = (query ?? {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const name of Object.keys(source)) {
    if (!Object.hasOwn(spec, name)) {
      const known = Object.keys(spec).join(', ') || 'none';
      errors.push({
        path: name.slice(0, MAX_ECHO),
        message: `Unknown parameter. Known parameters: ${known}.`,
      });
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(spec)) {
    const raw = source[name];
    if (raw === undefined) {
      values[name] = param.default;
    } else if (typeof raw !== 'string') {
      errors.push({ path: name, message: `Must be given once, as a single value: ${param.allowed}.` });
    } else {
      const parsed = param.parse(raw);
      if (parsed.ok) values[name] = parsed.value;
      else
        errors.push({ path: name, message: incorrectShown('value', raw.slice(0, MAX_ECHO), param.allowed) });
    }
  }
  if (errors.length > 0) {
    throw new DriveDepositsError(
      'DD_INVALID_PARAMETER',
      `Invalid query parameters: ${errors.map((e) => e.path).join(', ')}`,
      {
        errors,
      },
    );
  }
  return values as ParamValues<S>;
}

/** The path parameter `name` (`uuid` by default) when it is a lower-case UUID; a 400 otherwise. */
export function pathUuid(params: Record<string, unknown>, name = 'uuid'): string {
  const value = String(params[name]);
  if (UUID_PATTERN.test(value)) return value;
  throw new DriveDepositsError('DD_INVALID_PARAMETER', `Invalid path parameter: ${name}`, {
    errors: [{ path: name, message: incorrectShown('value', value.slice(0, MAX_ECHO), 'a lower-case UUID') }],
  });
}
