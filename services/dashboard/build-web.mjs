// Builds the dashboard's page into dist/public: type-checks web/ (DOM types), then bundles
// web/main.ts (ECharts included, tree-shaken) and web/style.css with esbuild and copies index.html.
// Run by the root `npm run build` (scripts/lib.sh, the Dockerfile) after `tsc -b`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, 'web');
const out = join(here, 'dist/public');
const root = join(here, '../..');

try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', web], {
    stdio: 'pipe',
  });
} catch (error) {
  console.error(`dashboard page: type errors in services/dashboard/web:\n${error.stdout}${error.stderr}`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(web, 'main.ts') },
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'iife',
  target: ['es2022'],
  outdir: out,
  legalComments: 'linked',
  logLevel: 'warning',
});
await build({
  entryPoints: { app: join(web, 'style.css') },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: 'warning',
});
copyFileSync(join(web, 'index.html'), join(out, 'index.html'));
const kib = (file) => (statSync(join(out, file)).size / 1024).toFixed(0);
console.log(`dashboard page: dist/public app.js ${kib('app.js')} KiB, app.css ${kib('app.css')} KiB`);
