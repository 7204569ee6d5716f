// What schemas/portfolio-request.schema.json says, read from the schema itself so that no limit,
// enum or field list is typed a second time in code: the schema is the one structural truth.
import { portfolioRequestSchema } from '../schemas';

/** One node of the schema, `$ref`s followed. */
export type SchemaNode = Readonly<Record<string, unknown>>;

const DEFS_PREFIX = '#/$defs/';

export function resolve(node: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const defs = portfolioRequestSchema.$defs as Record<string, SchemaNode> | undefined;
  const target = ref.startsWith(DEFS_PREFIX) ? defs?.[ref.slice(DEFS_PREFIX.length)] : undefined;
  if (target === undefined) throw new Error(`request schema: cannot resolve ${ref}`);
  return resolve(target);
}

/** An object's properties, in the order the schema writes them (the canonical field order). */
export function propertiesOf(node: SchemaNode): Array<[string, SchemaNode]> {
  return Object.entries((resolve(node).properties ?? {}) as Record<string, SchemaNode>);
}

export function itemsOf(node: SchemaNode): SchemaNode {
  const items = resolve(node).items;
  if (typeof items !== 'object' || items === null) throw new Error('request schema: an array without items');
  return resolve(items as SchemaNode);
}

type Bound = 'minLength' | 'maxLength' | 'minItems' | 'maxItems';

export function boundOf(node: SchemaNode, keyword: Bound): number {
  const value = resolve(node)[keyword];
  if (typeof value !== 'number') throw new Error(`request schema: no ${keyword} where one is needed`);
  return value;
}

export function enumOf(node: SchemaNode): string[] {
  const values = resolve(node).enum;
  if (!Array.isArray(values)) throw new Error('request schema: no enum where one is needed');
  return values.map(String);
}

/**
 * The node of a field by its property names from the root, arrays stepped through to their
 * items: `fieldSchema('new_banks', 'new_deposits', 'apy')`.
 */
export function fieldSchema(...names: string[]): SchemaNode {
  let node = resolve(portfolioRequestSchema);
  for (const name of names) {
    if (resolve(node).type === 'array') node = itemsOf(node);
    const child = propertiesOf(node).find(([key]) => key === name)?.[1];
    if (child === undefined) throw new Error(`request schema: no field ${names.join('.')}`);
    node = resolve(child);
  }
  return node;
}

export const requestSchemaRoot = (): SchemaNode => resolve(portfolioRequestSchema);

/** The decimal format ($defs/Decimal): its length bound and, from its pattern, its fraction digits. */
function decimalFormat(): { maxLength: number; maxFractionDigits: number } {
  const node = resolve({ $ref: `${DEFS_PREFIX}Decimal` });
  const fraction = /\{1,([0-9]+)\}/.exec(String(node.pattern));
  if (fraction === null) throw new Error('request schema: the Decimal pattern bounds no fraction digits');
  return { maxLength: boundOf(node, 'maxLength'), maxFractionDigits: Number(fraction[1]) };
}

export const DECIMAL_FORMAT = decimalFormat();
