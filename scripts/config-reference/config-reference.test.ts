// The generated configuration artifacts agree with the declarations in packages/config: the
// committed files are exactly what the generator writes, and every variable a service reads is
// documented, set by the chart and set by compose, with the same default.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@drive-deposits/config';
import { parse } from 'yaml';
import { composeValue } from './compose';
import { generate, PATHS, ROOT } from './generate';
import { helmDefault } from './helm-schema';
import { ENDPOINTS, HELM } from './targets';
import { envText, variables } from './variables';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const all = variables();

/** `a.b.c` of a parsed YAML or JSON document. */
const at = (doc: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);

describe('config:generate', () => {
  it.each(Object.keys(generate()))('%s is up to date (else: run npm run config:generate)', (path) => {
    const stale = read(path) !== generate()[path];
    if (stale)
      throw new Error(`${path} differs from what the declarations generate: run npm run config:generate`);
  });

  it('gives every variable, and only those, a source in the chart', () => {
    const names = new Set(all.map((v) => v.name));
    expect(Object.keys(HELM).sort()).toEqual([...names].sort());
  });
});

describe('docs/operations.md', () => {
  const rows = new Map(
    read(PATHS.docs)
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => {
        const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
        return [cells[1]!.replace(/`/g, ''), cells.slice(2)] as const;
      }),
  );

  it.each(all.map((v) => [v.name, v] as const))('documents %s: its readers and default', (name, variable) => {
    const cells = rows.get(name);
    expect(cells).toBeDefined();
    const readers = SERVICE_NAMES.filter((_, i) => cells![i] === '✓');
    expect(readers).toEqual(variable.services);
    const defaultCell = cells![SERVICE_NAMES.length]!;
    for (const service of variable.services) {
      const text = envText(variable.defaults[service]);
      expect(defaultCell).toContain(text === undefined ? '—' : `\`${text}\``);
    }
  });
});

describe('Helm chart', () => {
  const values = parse(read('helm/drive-deposits/values.yaml')) as unknown;
  const schema = JSON.parse(read(PATHS.helmSchema)) as unknown;
  const template = read(PATHS.helmEnv);

  it.each(all.map((v) => [v.name, v] as const))(
    'sets %s with the same default as the code',
    (name, variable) => {
      const source = HELM[name]!;
      expect(template).toMatch(new RegExp(`"${name}"|name: ${name}\\b`));
      const places: Array<{ path: string[]; expected: unknown }> =
        'value' in source
          ? [{ path: source.value.split('.'), expected: helmDefault(variable, variable.services[0]!) }]
          : 'serviceValue' in source
            ? variable.services.map((s) => ({
                path: ['services', s, source.serviceValue],
                expected: helmDefault(variable, s),
              }))
            : 'secret' in source
              ? [{ path: ['secrets', source.secret], expected: ENDPOINTS.helm[name] ?? '' }]
              : [];
      for (const { path, expected } of places) {
        // an optional variable without a default is unset in the chart: an empty value
        expect({ path, value: at(values, path) }).toEqual({ path, value: expected ?? '' });
        const property = at(
          schema,
          path.flatMap((key) => ['properties', key]),
        ) as Record<string, unknown>;
        expect(property.description).toMatch(new RegExp(`^${name}: `));
        if (expected !== undefined) expect(property.default).toEqual(expected);
      }
      if ('serviceName' in source)
        expect(variable.services.every((s) => variable.defaults[s] === s)).toBe(true);
      if ('serviceUrl' in source) {
        // the release's Service of that API, and the code's default is where that API listens locally
        expect(template).toMatch(new RegExp(`"${name}" \\(printf "http://%s:%d" .*"${source.serviceUrl}"`));
        const api = all.find((v) => v.name === 'PORT')!.defaults[source.serviceUrl];
        expect(new URL(String(variable.defaults.dashboard)).port).toBe(String(api));
      }
    },
  );
});

describe('docker-compose.yml', () => {
  const compose = parse(read(PATHS.compose), { merge: true }) as {
    services: Record<string, { environment: Record<string, string> }>;
  };
  /** `${HOST_VAR:-value}` → value: what the container gets when the host sets nothing. */
  const unset = (text: string) => text.replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1');

  it.each(SERVICE_NAMES)(
    'gives %s every variable it reads that has a default, with that default',
    (service) => {
      const environment = Object.fromEntries(
        Object.entries(compose.services[service]!.environment).map(([name, value]) => [
          name,
          unset(String(value)),
        ]),
      );
      const expected = Object.fromEntries(
        all
          .filter((v) => v.services.includes(service) && composeValue(v, service) !== undefined)
          // a variable without a default that the host may give (AUTH_ISSUER, …) is unset: ''
          .map((v) => [v.name, ENDPOINTS.compose[v.name] ?? envText(v.defaults[service]) ?? '']),
      );
      expect(environment).toEqual(expected);
    },
  );
});
