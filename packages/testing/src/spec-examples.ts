// The spec's example files (shared/spec/examples beside the repository, in CI too): the only
// hard-coded expected values the tests use.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes';

export const SPEC_EXAMPLES_DIR = join(REPO_ROOT, '../shared/spec/examples');

export function specExample<T>(name: string): T {
  const file = join(SPEC_EXAMPLES_DIR, name);
  if (!existsSync(file)) {
    throw new Error(
      `Spec example ${file} is missing. The shared/ folder must sit beside the repository ` +
        `(…/shared/spec/examples next to the clone).`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
