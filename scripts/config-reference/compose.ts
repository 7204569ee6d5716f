// docker-compose.yml's environment anchors: one per concern with the values every reader shares,
// and one per service merging its concerns and adding its own (PORT, KAFKA_CLIENT_ID, …). Variables
// without a default (SASL, registry auth) are not set: the compose servers use none.
import { SERVICE_NAMES, type ServiceName } from '@drive-deposits/config';
import { COMPOSE_FROM_HOST, ENDPOINTS } from './targets';
import { envText, sharedDefault, type Variable } from './variables';

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The value compose gives a variable in one service, or undefined when it sets none. */
export function composeValue(variable: Variable, service: ServiceName): string | undefined {
  const value = ENDPOINTS.compose[variable.name] ?? envText(variable.defaults[service]);
  const host = COMPOSE_FROM_HOST[variable.name];
  // Without a default, a variable the host may give is passed through (empty means unset).
  if (value === undefined) return host && variable.services.includes(service) ? `\${${host}:-}` : undefined;
  return host ? `\${${host}:-${value}}` : value;
}

export function composeEnvironment(variables: readonly Variable[]): string {
  const set = variables.filter((v) => v.services.some((s) => composeValue(v, s) !== undefined));
  const concerns = [...new Set(set.map((v) => v.concern))];
  const shared = (v: Variable) => sharedDefault(v) !== undefined || ENDPOINTS.compose[v.name] !== undefined;
  const lines: string[] = [];
  for (const concern of concerns) {
    const common = set.filter((x) => x.concern === concern && shared(x));
    if (common.length === 0) continue;
    lines.push(`x-${concern}-env: &${concern}-env`);
    for (const v of common) lines.push(`  ${v.name}: ${quoted(composeValue(v, v.services[0]!)!)}`);
  }
  for (const service of SERVICE_NAMES) {
    const own = set.filter((v) => v.services.includes(service));
    const merged = concerns.filter((c) => own.some((v) => v.concern === c && shared(v)));
    lines.push(`x-${service}-env: &${service}-env`);
    lines.push(`  <<: [${merged.map((c) => `*${c}-env`).join(', ')}]`);
    for (const v of own.filter((x) => !shared(x)))
      lines.push(`  ${v.name}: ${quoted(composeValue(v, service)!)}`);
  }
  return lines.join('\n');
}
