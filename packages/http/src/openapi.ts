// Self-contained OpenAPI components from the JSON Schemas of schemas/. Each schema keeps its own
// `$id` and `#/$defs/…` refs, which standard OpenAPI tools cannot resolve inside an OpenAPI
// document, so the schemas are bundled here: each becomes a component, each of its `$defs` a
// component of its own, and every `$ref` is rewritten to `#/components/schemas/<name>`. Derived
// from the schema files at start-up, never copied by hand.
import type { JsonSchema } from '@drive-deposits/core';

export interface BundledSchemas {
  /** for `components.schemas` */
  schemas: Record<string, JsonSchema>;
  /** `{ $ref }` to a bundled schema (`ref('PortfolioResponse')`) or one of its $defs (`ref('PortfolioResponse', 'Uuid')`) */
  ref(owner: string, def?: string): { $ref: string };
}

const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;
const componentRef = (name: string) => `#/components/schemas/${name}`;

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const defsOf = (schema: JsonSchema) => (schema.$defs ?? {}) as Record<string, JsonSchema>;

/**
 * Bundles `owners` (component name → JSON Schema document) into components. A `$def` keeps its own
 * name unless another owner has a different `$def` of that name; both are then prefixed with their
 * owner (`PortfolioRequestDecimal`, `PortfolioResponseDecimal`). A `$ref` that does not point into
 * one of the owners throws: the document would not be self-contained.
 */
export function bundleSchemas(owners: Record<string, JsonSchema>): BundledSchemas {
  const contents = new Map<string, Set<string>>();
  for (const schema of Object.values(owners)) {
    for (const [def, body] of Object.entries(defsOf(schema))) {
      contents.set(def, (contents.get(def) ?? new Set()).add(canonical(body)));
    }
  }
  const nameOf = (owner: string, def?: string): string => {
    if (!Object.hasOwn(owners, owner)) throw new Error(`No schema ${owner} to bundle.`);
    if (def === undefined) return owner;
    if (!Object.hasOwn(defsOf(owners[owner] as JsonSchema), def))
      throw new Error(`${owner} has no $defs/${def}.`);
    return (contents.get(def)?.size ?? 0) > 1 ? `${owner}${def}` : def;
  };
  const ownerById = new Map<string, string>();
  for (const [owner, schema] of Object.entries(owners)) {
    if (typeof schema.$id === 'string') ownerById.set(schema.$id, owner);
  }

  const rewrite = (owner: string, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((item) => rewrite(owner, item));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        key,
        key === '$ref' && typeof v === 'string' ? resolve(owner, v) : rewrite(owner, v),
      ]),
    );
  };
  const resolve = (owner: string, target: string): string => {
    const hash = target.indexOf('#');
    const base = hash === -1 ? target : target.slice(0, hash);
    const pointer = hash === -1 ? '' : target.slice(hash + 1);
    const targetOwner = base === '' ? owner : ownerById.get(base);
    const def = /^\/\$defs\/([^/]+)$/.exec(pointer)?.[1];
    if (targetOwner === undefined || (pointer !== '' && def === undefined))
      throw new Error(`Cannot bundle $ref ${target} of ${owner}: it points outside the bundled schemas.`);
    return componentRef(nameOf(targetOwner, def));
  };

  const schemas: Record<string, JsonSchema> = {};
  const add = (name: string, schema: JsonSchema) => {
    if (!COMPONENT_NAME.test(name)) throw new Error(`${name} is not a valid OpenAPI component name.`);
    const existing = schemas[name];
    if (existing !== undefined && canonical(existing) !== canonical(schema))
      throw new Error(`Two different schemas would be bundled as ${name}.`);
    schemas[name] = schema;
  };
  for (const [owner, schema] of Object.entries(owners)) {
    const { $id: _id, $schema: _dialect, $defs: _defs, ...root } = schema;
    add(owner, rewrite(owner, root) as JsonSchema);
    for (const [def, body] of Object.entries(defsOf(schema))) {
      add(nameOf(owner, def), rewrite(owner, body) as JsonSchema);
    }
  }
  return { schemas, ref: (owner, def) => ({ $ref: componentRef(nameOf(owner, def)) }) };
}

/** Every `$ref` in `document` that does not point at an existing location inside it. */
export function unresolvedRefs(document: unknown): string[] {
  const missing: string[] = [];
  const lookup = (pointer: string): boolean => {
    let node: unknown = document;
    for (const raw of pointer.split('/').slice(1)) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
      node = (node as Record<string, unknown>)[key];
    }
    return true;
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') {
        if (!v.startsWith('#') || !lookup(v.slice(1))) missing.push(v);
      } else walk(v);
    }
  };
  walk(document);
  return missing;
}

/** The bearer scheme both APIs declare (components.securitySchemes), and its requirement. */
export const BEARER_SECURITY = {
  schemes: {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        "A JWT of the configured issuer and audience. Scopes (the `scope` claim): portfolios:write to submit or delete, portfolios:read to read one's own portfolios and rankings, rankings:read:all for the ranking of every owner's portfolios.",
    },
  },
  /** an operation's `security`: scopes named for readers (OpenAPI 3.1 allows them for http schemes) */
  requirement: (...scopes: string[]) => [{ bearer: scopes }],
};

/** The 401 and 403 answers of every authenticated operation, given the document's problem response. */
export const authResponses = (problem: (description: string) => object) => ({
  '401': problem(
    'No usable bearer token: missing, malformed, expired, not yet valid, or not signed by the issuer (WWW-Authenticate says which).',
  ),
  '403': problem('The token lacks the scope this operation needs.'),
});
