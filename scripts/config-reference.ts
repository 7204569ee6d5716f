// npm run config:generate — rewrites what is generated from the environment-variable declarations
// in packages/config: docs/operations.md's configuration table, docker-compose.yml's environment,
// the Helm chart's templates/_env.tpl and the variables' part of values.schema.json.
// `--check` changes nothing and exits 1 naming each file that is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, ROOT } from './config-reference/generate';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [path, content] of Object.entries(generate())) {
  const file = join(ROOT, path);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  stale.push(path);
  if (!check) writeFileSync(file, content);
}
if (check && stale.length > 0) {
  console.error(`out of date (run npm run config:generate): ${stale.join(', ')}`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'config: everything up to date' : `config: wrote ${stale.join(', ')}`);
