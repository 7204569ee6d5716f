// Run by scripts/helm-check.sh on the chart rendered with its default values: each service's
// ConfigMap and Secret references hold exactly the variables its spec reads, with the declared
// defaults (the chart's server addresses aside, and the dashboard's API URLs: the release's API
// Services as rendered). Prints the differences and exits 1 if any.
//   tsx --tsconfig tsconfig.check.json scripts/config-reference/check-rendered.ts rendered.yaml
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@drive-deposits/config';
import { parse, parseAllDocuments } from 'yaml';
import { ENDPOINTS, HELM } from './targets';
import { envText, variables } from './variables';

interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    template?: { spec: { containers: Array<{ env?: Array<{ name: string }> }> } };
    ports?: Array<{ port: number }>;
  };
}

const manifests = parseAllDocuments(readFileSync(process.argv[2]!, 'utf8'))
  .map((doc) => doc.toJS() as Manifest | null)
  .filter((m): m is Manifest => m !== null);
const of = (kind: string, service: string) =>
  manifests.find((m) => m.kind === kind && m.metadata.labels?.['app.kubernetes.io/component'] === service);

/** http://<the rendered Service of `service`>:<its port>, as the dashboard should reach it. */
function renderedUrl(service: string): string {
  const manifest = of('Service', service);
  return manifest ? `http://${manifest.metadata.name}:${manifest.spec?.ports?.[0]?.port}` : '(no Service)';
}
// The render adds ci/auth-values.yaml (the chart refuses jwt without them): those values, not defaults.
const authValues = (
  parse(readFileSync(join(__dirname, '../../helm/drive-deposits/ci/auth-values.yaml'), 'utf8')) as {
    auth: Record<string, string>;
  }
).auth;
const RENDERED_AUTH: Record<string, string | undefined> = {
  AUTH_ISSUER: authValues.issuer,
  AUTH_AUDIENCE: authValues.audience,
  AUTH_JWKS_URL: authValues.jwksUrl,
};

const problems: string[] = [];
for (const service of SERVICE_NAMES) {
  const read = variables().filter((v) => v.services.includes(service));
  const expected: Record<string, string | undefined> = {};
  for (const v of read.filter((x) => !('secret' in HELM[x.name]!))) {
    const source = HELM[v.name]!;
    const value =
      'serviceUrl' in source
        ? renderedUrl(source.serviceUrl)
        : (ENDPOINTS.helm[v.name] ?? RENDERED_AUTH[v.name] ?? envText(v.defaults[service]));
    if (value !== undefined) expected[v.name] = value;
  }
  // NODE_OPTIONS is the chart's own (config.nodeOptions), not a service's variable.
  const { NODE_OPTIONS: _, ...data } = of('ConfigMap', service)?.data ?? {};
  for (const name of new Set([...Object.keys(expected), ...Object.keys(data)])) {
    if (data[name] !== expected[name]) {
      problems.push(
        `${service} ConfigMap ${name}: ${data[name] ?? '(unset)'}, declared ${expected[name] ?? '(unset)'}`,
      );
    }
  }
  // with default values only MONGO_URL comes from the Secret (no SASL, no registry auth)
  const secretEnv =
    of('Deployment', service)?.spec?.template?.spec.containers[0]?.env?.map((e) => e.name) ?? [];
  const wanted = read.filter((v) => v.name === 'MONGO_URL').map((v) => v.name);
  if (secretEnv.join() !== wanted.join())
    problems.push(`${service} Secret env: [${secretEnv}], declared [${wanted}]`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`the ${SERVICE_NAMES.length} ConfigMaps hold the declared defaults`);
