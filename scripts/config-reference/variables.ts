// The variables as the generated artifacts need them: every variable of the five service specs
// (packages/config), once, with the services that read it and each one's default.
import { SERVICE_NAMES, SERVICE_SPECS, type ServiceName, type Spec, type Var } from '@drive-deposits/config';

export interface Variable {
  name: string;
  declaration: Var<unknown>;
  /** the spec's top-level key it sits under: service, kafka, registry, mongo, consumer, commands */
  concern: string;
  /** readers in SERVICE_NAMES order */
  services: ServiceName[];
  /** per reading service (PORT, KAFKA_CLIENT_ID and CONSUMER_GROUP differ by service) */
  defaults: Partial<Record<ServiceName, unknown>>;
}

const isVar = (node: Var<unknown> | Spec): node is Var<unknown> => node.kind === 'var';

function* leaves(spec: Spec, concern?: string): Generator<[string, Var<unknown>]> {
  for (const [key, node] of Object.entries(spec)) {
    if (isVar(node)) yield [concern ?? key, node];
    else yield* leaves(node, concern ?? key);
  }
}

/** In the order the first service that reads them declares them. */
export function variables(): Variable[] {
  const byName = new Map<string, Variable>();
  for (const service of SERVICE_NAMES) {
    for (const [concern, declaration] of leaves(SERVICE_SPECS[service])) {
      const known = byName.get(declaration.name);
      const variable = known ?? { name: declaration.name, declaration, concern, services: [], defaults: {} };
      if (known && (known.concern !== concern || known.declaration.allowed !== declaration.allowed)) {
        throw new Error(`${declaration.name} is declared differently by ${known.services[0]} and ${service}`);
      }
      variable.services.push(service);
      variable.defaults[service] = declaration.default;
      byName.set(declaration.name, variable);
    }
  }
  return [...byName.values()];
}

/** A default as the environment spells it: lists comma-separated, everything else as text. */
export const envText = (value: unknown): string | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value.join(',') : String(value);

/** The one default all readers share, or undefined when they differ or there is none. */
export function sharedDefault(variable: Variable): string | undefined {
  const texts = new Set(variable.services.map((s) => envText(variable.defaults[s])));
  return texts.size === 1 ? [...texts][0] : undefined;
}
