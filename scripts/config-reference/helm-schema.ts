// The env-var part of helm/drive-deposits/values.schema.json: the schema of every value that HELM
// (./targets.ts) maps to a variable, derived from the variable's parse rule, description and
// default. The rest of the schema (pods, images, ingress, …) is the chart's own and kept as it is.
import type { Rule, ServiceName } from '@drive-deposits/config';
import { ENDPOINTS, HELM } from './targets';
import type { Variable } from './variables';

type JsonSchema = Record<string, unknown>;

/** "https" → "[hH][tT][tT][pP][sS]": the services accept a scheme in any case; ECMA patterns have no (?i). */
const anyCase = (word: string) =>
  [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c.replace(/[.+]/g, '\\$&'))).join('');

const unanchored = (pattern: RegExp) => pattern.source.replace(/^\^/, '').replace(/\$$/, '');

/** A non-empty value the service accepts, as a JSON-schema pattern. */
function valuePattern(rule: Rule): string | undefined {
  switch (rule.type) {
    case 'str':
      return rule.pattern?.source;
    case 'url':
      return `^(?:${rule.schemes.map(anyCase).join('|')})://\\S+$`;
    case 'list': {
      const item = rule.item ? `(?:${unanchored(rule.item)})` : '[^,\\s]+';
      return `^\\s*${item}\\s*(?:,\\s*${item}\\s*)*$`;
    }
    default:
      return undefined;
  }
}

function ruleSchema(rule: Rule, emptyAllowed: boolean): JsonSchema {
  switch (rule.type) {
    case 'int': {
      const bounds: JsonSchema = {};
      if (rule.min > Number.MIN_SAFE_INTEGER) bounds.minimum = rule.min;
      if (rule.max < Number.MAX_SAFE_INTEGER) bounds.maximum = rule.max;
      return { type: 'integer', ...bounds };
    }
    case 'bool':
      return { type: 'boolean' };
    case 'oneOf':
      return { type: 'string', enum: emptyAllowed ? ['', ...rule.values] : [...rule.values] };
    default: {
      const pattern = valuePattern(rule);
      if (pattern === undefined) return { type: 'string', ...(emptyAllowed ? {} : { minLength: 1 }) };
      return { type: 'string', pattern: emptyAllowed ? `^$|${pattern}` : pattern };
    }
  }
}

/** The schema of the value that sets `variable`; `fallback`: the value's default in values.yaml. */
export function valueSchema(variable: Variable, fallback: unknown): JsonSchema {
  const { declaration } = variable;
  // unset is allowed where the service allows it, and for a secret kept in an existingSecret instead
  const emptyAllowed =
    (declaration.optional && declaration.default === undefined) || 'secret' in HELM[variable.name]!;
  const schema: JsonSchema = { description: `${variable.name}: ${declaration.description}` };
  Object.assign(schema, ruleSchema(declaration.rule, emptyAllowed));
  if (fallback !== undefined) schema.default = fallback;
  return schema;
}

/** The values.yaml default of a variable's value: the deployment's address, else the code's default. */
export function helmDefault(variable: Variable, service: ServiceName): unknown {
  const value = ENDPOINTS.helm[variable.name] ?? variable.defaults[service];
  return Array.isArray(value) ? value.join(',') : value;
}

const objectAt = (schema: JsonSchema, path: readonly string[]): JsonSchema =>
  path.reduce((node, key) => {
    const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
    if (!properties[key]) throw new Error(`values.schema.json has no object at ${path.join('.')}`);
    return properties[key];
  }, schema);

function setProperty(schema: JsonSchema, path: readonly string[], value: JsonSchema): void {
  const parent = objectAt(schema, path.slice(0, -1));
  parent.properties = { ...(parent.properties as object), [path.at(-1)!]: value };
}

/** `schema` with the schema of every variable's value (re)written; other keys untouched. */
export function withEnvSchema(schema: JsonSchema, variables: readonly Variable[]): JsonSchema {
  const result = structuredClone(schema);
  for (const variable of variables) {
    const source = HELM[variable.name]!;
    const first = variable.services[0]!;
    if ('value' in source) {
      setProperty(result, source.value.split('.'), valueSchema(variable, helmDefault(variable, first)));
    } else if ('secret' in source) {
      setProperty(
        result,
        ['secrets', source.secret],
        valueSchema(variable, ENDPOINTS.helm[variable.name] ?? ''),
      );
    } else if ('serviceValue' in source) {
      for (const service of variable.services) {
        const path = ['services', service, source.serviceValue];
        setProperty(result, path, valueSchema(variable, helmDefault(variable, service)));
      }
    }
  }
  return result;
}
