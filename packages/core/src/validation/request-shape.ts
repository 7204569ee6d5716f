// The shape of a request as the validation walk (validate.ts) follows it, built from the JSON
// Schema: objects with their fields in schema order, arrays with their size bounds, scalars with
// their rule (fields.ts). Only what a schema cannot say is added here: how messages name things,
// and the rule over the whole request ([ours] at most 10,000 deposits in one portfolio).
import { FIELD_RULES, type FieldRule } from './fields';
import { wrongCount } from './messages';
import {
  boundOf,
  itemsOf,
  propertiesOf,
  requestSchemaRoot,
  resolve,
  type SchemaNode,
} from './request-schema';

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** [ours] bound on the deposits of one portfolio, across all its banks (spec §2). */
export const MAX_DEPOSITS_PER_PORTFOLIO = 10_000;

export interface ScalarShape {
  kind: 'scalar';
  rule: FieldRule<unknown>;
}
export interface ObjectShape {
  kind: 'object';
  label: string;
  allowed: string;
  fields: ReadonlyMap<string, Shape>;
}
export interface ArrayShape {
  kind: 'array';
  label: string;
  allowed: string;
  noun: string;
  items: Shape;
  /** a rule over the whole array; returns a message when broken */
  check?: (items: readonly unknown[]) => string | null;
}
export type Shape = ScalarShape | ObjectShape | ArrayShape;

const RULES: Readonly<Record<string, FieldRule<unknown>>> = FIELD_RULES;

/** How messages name one item of an array (`Incorrect bank: …`). */
const ITEM_LABELS: Readonly<Record<string, string>> = { new_banks: 'bank', new_deposits: 'deposit' };

function countDeposits(banks: readonly unknown[]): number {
  let count = 0;
  for (const bank of banks) {
    const deposits = isJsonObject(bank) ? bank.new_deposits : undefined;
    if (Array.isArray(deposits)) count += deposits.length;
  }
  return count;
}

/** Rules over a whole array, by its property name. */
const ARRAY_CHECKS: Readonly<Record<string, ArrayShape['check']>> = {
  new_banks: (banks) => {
    const count = countDeposits(banks);
    return count > MAX_DEPOSITS_PER_PORTFOLIO
      ? wrongCount(
          'new_banks',
          count,
          'deposits in total',
          `at most ${MAX_DEPOSITS_PER_PORTFOLIO} deposits in one portfolio`,
        )
      : null;
  },
};

function shapeOf(schema: SchemaNode, name: string, label: string): Shape {
  const node = resolve(schema);
  if (node.type === 'object') {
    const fields = propertiesOf(node).map(([key, child]): [string, Shape] => [key, shapeOf(child, key, key)]);
    const names = fields.map(([key]) => key);
    const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    return { kind: 'object', label, allowed: `an object with ${list}`, fields: new Map(fields) };
  }
  if (node.type === 'array') {
    const noun = `${ITEM_LABELS[name] ?? 'item'}s`;
    const check = ARRAY_CHECKS[name];
    return {
      kind: 'array',
      label: name,
      allowed: `an array of ${boundOf(node, 'minItems')} to ${boundOf(node, 'maxItems')} ${noun}`,
      noun,
      items: shapeOf(itemsOf(node), name, ITEM_LABELS[name] ?? 'item'),
      ...(check === undefined ? {} : { check }),
    };
  }
  const rule = RULES[name];
  if (rule === undefined) throw new Error(`request schema: no rule for the field ${name}`);
  return { kind: 'scalar', rule };
}

export const REQUEST_SHAPE = shapeOf(requestSchemaRoot(), '', 'request');
