// Checks a response body against an OpenAPI 3.1 document: the schema documented for the method,
// path template and status (JSON or problem+json), with every component schema registered so
// `#/components/schemas/X` and schemas with their own $id (and internal $refs) resolve.
import { unresolvedRefs } from '@drive-deposits/http';
import { dereference, validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';

type Doc = Record<string, unknown>;

const COMPONENT_PREFIX = 'urn:openapi:components:';

/** `#/components/schemas/X` → the id X is registered under, everywhere in the document. */
function rewriteRefs(node: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, ids));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        return [key, ids.get(value.slice('#/components/schemas/'.length)) ?? value];
      }
      return [key, rewriteRefs(value, ids)];
    }),
  );
}

export interface OpenApiResponseValidator {
  /** the documented schema's errors for this response, or [] when it conforms */
  errors(method: string, pathTemplate: string, status: number, body: unknown): string[];
}

export function openApiValidator(document: Doc): OpenApiResponseValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const schemas = ((document.components as Doc | undefined)?.schemas ?? {}) as Record<string, Doc>;
  const ids = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    ids.set(name, typeof schema.$id === 'string' ? schema.$id : `${COMPONENT_PREFIX}${name}`);
  }
  for (const [name, schema] of Object.entries(schemas)) {
    const rewritten = rewriteRefs(schema, ids) as Doc;
    ajv.addSchema(typeof schema.$id === 'string' ? rewritten : { ...rewritten, $id: ids.get(name) });
  }
  const paths = rewriteRefs(document.paths, ids) as Record<string, Record<string, Doc>>;
  return {
    errors(method, pathTemplate, status, body) {
      const operation = paths[pathTemplate]?.[method.toLowerCase()];
      const response = (operation?.responses as Record<string, Doc> | undefined)?.[String(status)];
      if (response === undefined) return [`${method} ${pathTemplate} documents no ${status} response`];
      const content = (response.content ?? {}) as Record<string, { schema?: Doc }>;
      const schema = Object.values(content)[0]?.schema;
      if (schema === undefined) return [`${method} ${pathTemplate} ${status} documents no body schema`];
      const validate = ajv.compile(schema);
      if (validate(body)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    },
  };
}

const INTERNAL_ONLY = { resolve: { external: false, file: false } };

/**
 * Why a standard OpenAPI 3.1 tool could not load `document`, or [] when it can: `$ref`s that do not
 * resolve inside it, the validator's errors, and refs left after dereferencing (no network, no files).
 */
export async function openApiLoadProblems(document: Doc): Promise<string[]> {
  const unresolved = unresolvedRefs(document).map((ref) => `unresolved $ref ${ref}`);
  const result = await validate(structuredClone(document) as never, INTERNAL_ONLY);
  const invalid = result.valid ? [] : result.errors.map((e) => e.message);
  const left = await dereference(structuredClone(document) as never, INTERNAL_ONLY).then(
    (resolved) => (JSON.stringify(resolved).includes('"$ref"') ? ['a $ref is left after dereferencing'] : []),
    (error: unknown) => [`dereferencing failed: ${(error as Error).message}`],
  );
  return [...unresolved, ...invalid, ...left];
}
