#!/usr/bin/env node
// npm links a package's bin when it installs, before `npm run build` has written dist/: this
// committed shim is what it links, so `npx drive-deposits` works on a fresh clone once built.
try {
  require('../dist/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write('drive-deposits is not built yet: run `npm run build` first.\n');
    process.exit(2);
  }
  throw error;
}
