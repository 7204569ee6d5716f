#!/usr/bin/env bash
# Runs schemathesis (PyPI, pinned) with the given arguments, installing it on first use into a
# virtualenv in the user's cache (~/.cache/drive-deposits/schemathesis-<version>, shared by every
# clone; pip's own download cache is reused). Needs only python3 with its venv module.
#   bash scripts/schemathesis.sh --install-only      # provision, print the executable's path
#   bash scripts/schemathesis.sh run URL --checks all …
set -euo pipefail

VERSION=4.32.5
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/drive-deposits"
VENV="$CACHE/schemathesis-$VERSION"
BIN="$VENV/bin/schemathesis"

if [[ ! -f "$VENV/.installed" ]]; then
  command -v python3 >/dev/null || {
    echo "schemathesis needs python3 (3.9 or later) with its venv module; none is on PATH." >&2
    exit 1
  }
  mkdir -p "$CACHE"
  # One installer at a time (concurrent test runs); the marker is written only once pip succeeded.
  exec 9>"$CACHE/schemathesis.lock"
  flock 9
  if [[ ! -f "$VENV/.installed" ]]; then
    echo "installing schemathesis $VERSION into $VENV" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
    touch "$VENV/.installed"
  fi
  flock -u 9
fi

if [[ "${1:-}" == "--install-only" ]]; then
  echo "$BIN"
  exit 0
fi
exec "$BIN" "$@"
