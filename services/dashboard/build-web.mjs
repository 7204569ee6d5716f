// Builds the dashboard's page into dist/public: type-checks web/ (DOM types), then bundles
// web/main.ts (ECharts included, tree-shaken) and web/style.css with esbuild and copies index.html.
// Run by the root `npm run build` (scripts/lib.sh, the Dockerfile) after `tsc -b`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
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
// Served instead of the plain files to browsers that accept gzip (services/dashboard/src/app.ts).
for (const file of ['app.js', 'app.css']) {
  writeFileSync(join(out, `${file}.gz`), gzipSync(readFileSync(join(out, file)), { level: 9 }));
}
const kib = (file) => (statSync(join(out, file)).size / 1024).toFixed(0);
console.log(
  `dashboard page: dist/public app.js ${kib('app.js')} KiB (gzip ${kib('app.js.gz')} KiB), app.css ${kib('app.css')} KiB`,
);
