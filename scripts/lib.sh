# Shared by scripts/test.sh and scripts/start.sh: install npm dependencies when the lock file
# changed since the last install (a fresh clone always installs), then build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

ensure_node_modules() {
  local stamp=node_modules/.package-lock.json
  if [[ ! -f $stamp || package-lock.json -nt $stamp ]]; then
    step "npm ci"
    npm ci --no-fund --no-audit
  fi
}

build() {
  step "build (tsc -b)"
  npx tsc -b
}
