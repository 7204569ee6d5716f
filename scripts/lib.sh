# Shared by scripts/test.sh and scripts/start.sh: install npm dependencies when the lock file
# changed since the last install (a fresh clone always installs), then build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# The Node major the project needs, declared once: package.json "engines": { "node": ">=N" }.
required_node_major() {
  sed -n 's/^ *"node": *">= *\([0-9][0-9]*\).*/\1/p' package.json | head -n 1
}

# Puts a Node of the required major on PATH when the machine's is older (or missing): the `node`
# package from the npm registry, installed once into a user-level cache that later runs and other
# clones reuse (~125 MB). npm itself is the machine's; it runs on whichever node is first on PATH.
ensure_node() {
  local major have dir
  major=$(required_node_major)
  [[ -n $major ]] || { echo "package.json engines.node must read \">=N\"" >&2; return 1; }
  have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if ((have >= major)); then return 0; fi
  dir="${XDG_CACHE_HOME:-$HOME/.cache}/drive-deposits/node-$major"
  if ! "$dir/node_modules/.bin/node" -e "process.exit(+process.versions.node.split('.')[0] === $major ? 0 : 1)" 2>/dev/null; then
    step "node $major (the machine has $(node --version 2>/dev/null || echo none)): npm install node@$major into $dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-fund --no-audit --loglevel=error "node@$major"
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
  echo "using node $(node --version) from $dir"
}

ensure_node_modules() {
  ensure_node
  local stamp=node_modules/.package-lock.json
  # Also reinstall when node_modules was installed by another Node major (native modules differ).
  local built_with=node_modules/.node-major have
  have=$(node -p 'process.versions.node.split(".")[0]')
  if [[ ! -f $stamp || package-lock.json -nt $stamp || $(cat "$built_with" 2>/dev/null) != "$have" ]]; then
    step "npm ci"
    npm ci --no-fund --no-audit
    echo "$have" >"$built_with"
  fi
}

build() {
  step "build (tsc -b, then the dashboard's page)"
  npx tsc -b
  node services/dashboard/build-web.mjs
}

# Debian's Chromium for the dashboard's browser tests (playwright-core drives it; it downloads no
# browser of its own). Installed with apt-get when missing and this user may (root, as in CI);
# otherwise the browser test fails saying so. CHROMIUM_PATH points at another Chromium.
ensure_chromium() {
  local path=${CHROMIUM_PATH:-/usr/bin/chromium}
  [[ -x $path ]] && return 0
  if [[ -n ${CHROMIUM_PATH:-} ]]; then
    echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
    return 1
  fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    step "chromium (Debian's package, for the dashboard's browser tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    echo "installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  else
    echo "note: $path is missing and cannot be installed here (needs root and apt-get);" \
      "the dashboard's browser test will fail until it is (apt-get install chromium)" >&2
  fi
}
