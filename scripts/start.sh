#!/usr/bin/env bash
# Starts the whole system locally: provisions Kafka, the schema registry and MongoDB (unless
# KAFKA_BROKERS / SCHEMA_REGISTRY_URL / MONGO_URL point elsewhere), starts the five services,
# waits until each is ready, submits the example portfolios and prints the top-k at every level
# and the dashboard's address. Authentication is on: a local signing key in .run/auth/, a printed
# token (owner demo) the demo uses and the dashboard's token field takes.
# Keeps running until Ctrl-C; `--once` stops everything after the demo.
source "$(dirname "$0")/lib.sh"

once=false
for arg in "$@"; do
  case $arg in
    --once) once=true ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (allowed: --once, --help)" >&2; exit 2 ;;
  esac
done

ensure_node_modules
build

started_infra=false
if [[ -z ${KAFKA_BROKERS:-} || -z ${SCHEMA_REGISTRY_URL:-} || -z ${MONGO_URL:-} ]]; then
  step "infrastructure (Kafka, schema registry, MongoDB)"
  if ! bash infra/infra.sh status >/dev/null 2>&1; then started_infra=true; fi
  bash infra/infra.sh up
  set -a
  eval "$(bash infra/infra.sh env)"
  set +a
fi

# Secure by default, also here: the APIs verify bearer JWTs. Unless AUTH_ISSUER (your issuer) or
# AUTH_MODE=off is set, they trust a key pair made once in the ignored .run/auth/, and DD_TOKEN is a
# token signed with it: owner demo, every scope, valid 8 h (scripts/local-token.ts).
if [[ ${AUTH_MODE:-jwt} == jwt && -z ${AUTH_ISSUER:-} ]]; then
  step "authentication (local signing key in .run/auth/)"
  set -a
  eval "$(npx tsx scripts/local-token.ts env)"
  set +a
  DD_TOKEN=$(npx tsx scripts/local-token.ts token demo)
  export DD_TOKEN
  echo "issuer $AUTH_ISSUER, audience $AUTH_AUDIENCE, public key $AUTH_PUBLIC_KEY_FILE"
  echo "a token for owner demo (portfolios:write portfolios:read rankings:read:all, 8 h):"
  echo
  echo "  export TOKEN=$DD_TOKEN"
  echo "  curl -s -H \"Authorization: Bearer \$TOKEN\" localhost:3001/by-level-for-portfolios/delta-growth"
  echo
  echo "(another owner: npx tsx scripts/local-token.ts token <owner>)"
fi

logs=.run/logs
mkdir -p "$logs"
declare -A ports=([command-api]=3000 [query-api]=3001 [calculator]=3002 [projector]=3003 [dashboard]=3004)
pids=()

stop_all() {
  trap - INT TERM EXIT
  step "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if $started_infra; then bash infra/infra.sh down; fi
}
# Ctrl-C or SIGTERM is the way to stop it: stop everything and exit 0 (not "a service exited").
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

step "services"
# The dashboard last: it is ready once both APIs are (it forwards /api/… to them).
services=(command-api calculator projector query-api dashboard)
for service in "${services[@]}"; do
  PORT=${ports[$service]} node "services/$service/dist/main.js" >"$logs/$service.log" 2>&1 &
  pids+=($!)
  echo "$service: started (pid $!, log $logs/$service.log)"
done

# Each service retries what fails transiently at start (a busy registry, a broker still electing
# leaders, two services creating the same subject) until STARTUP_TIMEOUT_MS, answering /readyz 503
# meanwhile, and exits 1 past it. So wait while it runs; the bound is that deadline plus 10 s.
startup_ms=${STARTUP_TIMEOUT_MS:-$(node -p "require('./packages/config').serviceSpec({ port: 0 }).startupTimeoutMs.default")}
started_at=$SECONDS
for i in "${!services[@]}"; do
  service=${services[$i]}
  url="http://127.0.0.1:${ports[$service]}/readyz"
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null || ((SECONDS - started_at > startup_ms / 1000 + 10)); then
      state=$(kill -0 "${pids[$i]}" 2>/dev/null && echo "not ready" || echo "exited")
      echo "$service: $state after $((SECONDS - started_at)) s ($url); last log lines ($logs/$service.log):" >&2
      tail -n 20 "$logs/$service.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "$service: ready on http://127.0.0.1:${ports[$service]} ($((SECONDS - started_at)) s after start)"
done

step "demo"
npx tsx scripts/demo.ts

echo
echo "Dashboard: http://127.0.0.1:${ports[dashboard]}/  (rankings, portfolios, submit)"
if [[ -n ${DD_TOKEN:-} ]]; then
  echo "  the APIs need a bearer token: paste this one (owner demo) into the page's \"Bearer token\" field:"
  echo "  $DD_TOKEN"
elif [[ ${AUTH_MODE:-jwt} == jwt ]]; then
  echo "  the APIs need a bearer token of your issuer ($AUTH_ISSUER): paste one into the page's \"Bearer token\" field"
else
  echo "  AUTH_MODE=off: the APIs need no bearer token, leave the page's token field empty"
fi

if $once; then exit 0; fi
echo
echo "Running. dashboard http://127.0.0.1:${ports[dashboard]}  command-api http://127.0.0.1:3000  query-api http://127.0.0.1:3001  (Ctrl-C to stop)"
wait -n "${pids[@]}" || true
echo "a service exited; see $logs" >&2
exit 1
