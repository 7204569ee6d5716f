import { loadConfig, type Spec } from './load';
import { SERVICE_NAMES, SERVICE_SPECS } from './services';

const CONCERNS = ['service', 'kafka', 'registry', 'mongo', 'consumer', 'commands', 'apis', 'auth'];

describe('the five service specs', () => {
  it.each(SERVICE_NAMES)('%s: one key per concern, every variable under one', (name) => {
    const spec = SERVICE_SPECS[name];
    for (const [key, node] of Object.entries(spec)) {
      expect(CONCERNS).toContain(key);
      expect(node.kind).not.toBe('var');
    }
    const config = loadConfig(spec, {}) as Record<string, object>;
    expect(Object.keys(config.service!).sort()).toEqual([
      'logLevel',
      'port',
      'shutdownTimeoutMs',
      'startupTimeoutMs',
    ]);
  });

  it('describe every variable, for the generated docs and Helm schema', () => {
    const undescribed = SERVICE_NAMES.flatMap((name) => leaves(SERVICE_SPECS[name])).filter(
      (v) => v.description === '',
    );
    expect(undescribed.map((v) => v.name)).toEqual([]);
  });

  it("default SCHEMA_REGISTRY_URL to Confluent's root, not a local registry's path", () => {
    expect(loadConfig(SERVICE_SPECS.calculator, {}).registry).toMatchObject({ url: 'http://127.0.0.1:8081' });
  });
});

function leaves(spec: Spec): Array<{ name: string; description: string }> {
  return Object.values(spec).flatMap((node) =>
    node.kind === 'var' ? [node as { name: string; description: string }] : leaves(node as Spec),
  );
}
