#!/usr/bin/env bash
# Runs every test: type checks, lint, Helm chart checks, then unit, integration and end-to-end
# tests in one jest run against real Kafka, schema registry and MongoDB (provisioned by the jest
# global setup unless KAFKA_BROKERS / SCHEMA_REGISTRY_URL / MONGO_URL point elsewhere).
source "$(dirname "$0")/lib.sh"

ensure_node_modules
ensure_chromium
build
step "typecheck (tests included)"
npx tsc -p tsconfig.check.json
step "lint"
npm run --silent lint
if [[ -f scripts/helm-check.sh ]]; then
  step "helm chart"
  bash scripts/helm-check.sh
fi

step "jest: unit, integration, end-to-end"
mkdir -p .run
set +e
npx jest --ci --maxWorkers=2 --json --outputFile=.run/jest-results.json "$@"
status=$?
set -e
# One plain closing line that any CI reader understands.
node -e '
  const r = require("./.run/jest-results.json");
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' || status=1
exit $status
