// docs/operations.md's configuration table.
import { SERVICE_NAMES } from '@drive-deposits/config';
import { COMPOSE_FROM_HOST, derivedText, ENDPOINTS, HELM, helmKey, isDerived } from './targets';
import { envText, sharedDefault, type Variable } from './variables';

const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;

function defaultCell(variable: Variable): string {
  const shared = sharedDefault(variable);
  if (shared !== undefined) return code(shared);
  const perService = variable.services.map((s) => envText(variable.defaults[s]));
  return perService.every((d) => d === undefined) ? '—' : perService.map((d) => code(d ?? '—')).join(' / ');
}

function allowedCell({ declaration }: Variable): string {
  const notes = [declaration.allowed.replace(/\|/g, '\\|')];
  if (declaration.requiredWith) notes.push(`required when ${code(declaration.requiredWith)} is set`);
  if (declaration.onlyWith) notes.push(`only with ${code(declaration.onlyWith)}`);
  if (declaration.conflictsWith.length > 0)
    notes.push(`not with ${declaration.conflictsWith.map(code).join(', ')}`);
  if (declaration.secret) notes.push('secret: never printed');
  return notes.join('; ');
}

/** The host variables that change compose's server addresses. */
const fromHost = () =>
  Object.entries(COMPOSE_FROM_HOST)
    .filter(([name]) => name in ENDPOINTS.compose)
    .map(([, host]) => code(host))
    .join(', ');

/** The variables the chart derives from the release's API Services, as the docs name them. */
const apiUrls = () =>
  Object.entries(HELM)
    .filter(([, source]) => 'serviceUrl' in source)
    .map(([name]) => code(name))
    .join(' and ');

export function configurationTable(variables: readonly Variable[]): string {
  const header = `| variable | ${SERVICE_NAMES.join(' | ')} | default | allowed | meaning | Helm value |`;
  const rule = `|---|${SERVICE_NAMES.map(() => ':-:').join('|')}|---|---|---|---|`;
  const rows = variables.map((v) => {
    const readers = SERVICE_NAMES.map((s) => (v.services.includes(s) ? '✓' : ''));
    const helm = HELM[v.name];
    const key = isDerived(helm!) ? derivedText(helm) : code(helmKey(helm!));
    return `| ${code(v.name)} | ${readers.join(' | ')} | ${defaultCell(v)} | ${allowedCell(v)} | ${v.declaration.description} | ${key} |`;
  });
  const endpoints = (where: keyof typeof ENDPOINTS) =>
    Object.entries(ENDPOINTS[where])
      .map(([name, value]) => `${code(name)} ${code(value)}`)
      .join(', ');
  return [
    header,
    rule,
    ...rows,
    '',
    'Both deployments set every variable that has a default to the default above, except the server',
    'addresses:',
    '',
    `- \`docker-compose.yml\`: ${endpoints('compose')} (${fromHost()} change the servers');`,
    `- the Helm chart's \`values.yaml\`: ${endpoints('helm')} (\`MONGO_URL\` from its Secret), and the dashboard's ${apiUrls()} the release's own API Services.`,
  ].join('\n');
}
