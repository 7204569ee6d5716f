// validatePortfolioRequest: ajv checks the structure against the JSON Schema, then one walk over
// the document, in the order its fields are written, turns every problem ajv found into a
// FieldError with a friendly message and applies the domain rules of each field (fields.ts) and
// of the whole request, building the canonical request. The walk follows a shape read from the
// schema (request-shape.ts), so it knows no field, enum or bound of its own. Reporting during the
// walk is what makes the error order the document order.
import type { FieldError } from '../errors';
import type { PortfolioRequest } from '../types';
import { parseField } from './fields';
import { incorrect, missing, unknownField, wrongCount } from './messages';
import {
  isJsonObject,
  REQUEST_SHAPE,
  type ArrayShape,
  type ObjectShape,
  type ScalarShape,
  type Shape,
} from './request-shape';
import { checkStructure, type StructureIssueIndex } from './structure';

export { MAX_DEPOSITS_PER_PORTFOLIO } from './request-shape';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

// ---- the walk ----

const INVALID = Symbol('invalid');
type Walked = unknown | typeof INVALID;

interface Walk {
  issues: StructureIssueIndex | null;
  errors: FieldError[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `new_banks[0].new_deposits[1].apy`; a key that is not an identifier is quoted: `x["a.b"]`. */
function childPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function report(walk: Walk, path: string, message: string): typeof INVALID {
  walk.errors.push({ path: path === '' ? '$' : path, message });
  return INVALID;
}

function allowedOf(shape: Shape): string {
  return shape.kind === 'scalar' ? shape.rule.allowed : shape.allowed;
}

function walkValue(shape: Shape, value: unknown, pointer: string, path: string, walk: Walk): Walked {
  switch (shape.kind) {
    case 'scalar':
      return walkScalar(shape, value, pointer, path, walk);
    case 'object':
      return walkObject(shape, value, pointer, path, walk);
    case 'array':
      return walkArray(shape, value, pointer, path, walk);
  }
}

function walkScalar(shape: ScalarShape, value: unknown, pointer: string, path: string, walk: Walk): Walked {
  const { rule } = shape;
  if (walk.issues?.get(pointer)?.invalid) return report(walk, path, rule.reject(value));
  const parsed = parseField(rule, value);
  return parsed.ok ? parsed.text : report(walk, path, parsed.message);
}

function walkObject(shape: ObjectShape, value: unknown, pointer: string, path: string, walk: Walk): Walked {
  if (!isJsonObject(value)) return report(walk, path, incorrect(shape.label, value, shape.allowed));
  const issues = walk.issues?.get(pointer);
  const collected: Record<string, unknown> = {};
  let valid = true;
  for (const key of Object.keys(value)) {
    const child = shape.fields.get(key);
    if (child === undefined) {
      // The schema rejects it too (additionalProperties: false); reported here, in place.
      report(walk, childPath(path, key), unknownField(key, [...shape.fields.keys()]));
      valid = false;
      continue;
    }
    const walked = walkValue(child, value[key], `${pointer}/${key}`, childPath(path, key), walk);
    if (walked === INVALID) valid = false;
    else collected[key] = walked;
  }
  for (const key of issues?.missing ?? []) {
    const child = shape.fields.get(key);
    report(walk, childPath(path, key), missing(key, child === undefined ? 'present' : allowedOf(child)));
    valid = false;
  }
  if (!valid) return INVALID;
  // Canonical field order, whatever the input's, so equal requests serialise identically.
  const canonical: Record<string, unknown> = {};
  for (const key of shape.fields.keys()) canonical[key] = collected[key];
  return canonical;
}

function walkArray(shape: ArrayShape, value: unknown, pointer: string, path: string, walk: Walk): Walked {
  if (!Array.isArray(value)) return report(walk, path, incorrect(shape.label, value, shape.allowed));
  let valid = true;
  if (walk.issues?.get(pointer)?.invalid) {
    report(walk, path, wrongCount(shape.label, value.length, shape.noun, shape.allowed));
    valid = false;
  }
  const broken = shape.check?.(value) ?? null;
  if (broken !== null) {
    report(walk, path, broken);
    valid = false;
  }
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const walked = walkValue(shape.items, value[i], `${pointer}/${i}`, `${path}[${i}]`, walk);
    if (walked === INVALID) valid = false;
    else items.push(walked);
  }
  return valid ? items : INVALID;
}

/**
 * Checks a parsed JSON document against spec §2. On success the value is the canonical request:
 * decimals canonicalised (`"05"` → `"5"`, `"+5.40"` → `"5.40"`) and fields in schema order. On
 * failure, every problem, each with its path, in the order the document is written (a missing
 * field is reported after the fields its object does have).
 */
export function validatePortfolioRequest(input: unknown): ValidationResult<PortfolioRequest> {
  const walk: Walk = { issues: checkStructure(input), errors: [] };
  const value = walkValue(REQUEST_SHAPE, input, '', '', walk);
  if (value === INVALID || walk.errors.length > 0) {
    if (walk.errors.length === 0) report(walk, '', 'The request is invalid.');
    return { ok: false, errors: walk.errors };
  }
  return { ok: true, value: value as PortfolioRequest };
}
