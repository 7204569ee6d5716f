#!/usr/bin/env bash
# Real servers for tests and local runs, without Docker: Apache Kafka (KRaft, one node),
# Apicurio Registry (Confluent-compatible API, schemas stored in that Kafka), FerretDB v1 (MongoDB
# wire protocol, SQLite backend). All on 127.0.0.1. See infra/README.md.
#
#   bash infra/infra.sh up       start what is not running (idempotent), wait until healthy
#   bash infra/infra.sh down [kafka|registry|mongo…]   stop what `up` started in this clone (pid files)
#   bash infra/infra.sh status   one line per server; exit 0 only if all three are healthy
#   bash infra/infra.sh env      KAFKA_BROKERS=…, SCHEMA_REGISTRY_URL=…, MONGO_URL=… of the running servers
#   bash infra/infra.sh mongo-binary   build FerretDB if needed and print its path (for a test's private server)
#   bash infra/infra.sh kafka-classpath   resolve the Kafka jars if needed (~/.m2) and print the classpath
#        file (for a test's private broker, e.g. the SASL/ACL one of e2e/kafka-acls.e2e.test.ts)
#   bash infra/infra.sh kafka-class CLASS [ARGS…]   run a Kafka tool with the broker's jars, e.g.
#        org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#        org.apache.kafka.tools.ProducerPerformance --topic T --num-records 100000 --record-size 200 --throughput -1 --producer-props bootstrap.servers=127.0.0.1:9092
#
# Downloads go to the tools' own user-level caches (~/.m2, Go's module and build caches); everything
# per clone (classpath, unpacked registry, ferretdb binary, data, logs, pids) goes to .infra/.
set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$INFRA_DIR")
STATE=${INFRA_STATE_DIR:-$ROOT/.infra}
HOST=127.0.0.1
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
SCHEMA_REGISTRY_PORT=${SCHEMA_REGISTRY_PORT:-8081}
MONGO_PORT=${MONGO_PORT:-27017}
TIMEOUT=${INFRA_TIMEOUT_SECONDS:-120}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
NODE=${NODE:-node}

PARTS=(kafka registry mongo)
REGISTRY_API_PATH=/apis/ccompat/v7

say() { printf '%s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
hash_files() { cat "$@" | sha256sum | cut -c1-16; }

endpoint() {
  case $1 in
    kafka) say "$HOST:$KAFKA_PORT" ;;
    registry) say "http://$HOST:$SCHEMA_REGISTRY_PORT$REGISTRY_API_PATH" ;;
    mongo) say "mongodb://$HOST:$MONGO_PORT/" ;;
  esac
}

probe() { # part endpoint -> prints what the probe saw; exit status = healthy
  local target=$2
  [ "$1" = mongo ] && target=${target#mongodb://} && target=${target%/}
  "$NODE" "$INFRA_DIR/probe.js" "$1" "$target"
}

# A part runs if its pid file names a live process whose command line mentions this clone's state dir
# (guards against a recycled pid).
running_pid() {
  local pidfile=$STATE/$1/pid pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE/$1" || return 1
  say "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

check_port_free() { # part port
  if port_busy "$2"; then
    fail "$1" "port $HOST:$2 is already in use by a process this clone did not start (set the port env var, see infra/README.md)"
  fi
}

STARTED=() # parts this `up` started: stopped again if it fails, so a failed `up` leaves nothing behind

fail() { # part reason [log]
  say "$1: FAILED: $2" >&2
  if [ -n "${3:-}" ] && [ -f "$3" ]; then
    say "$1: log: $3 (last lines below)" >&2
    tail -n 25 "$3" | sed "s/^/  | /" >&2
  fi
  if [ "$BASHPID" = "$$" ] && [ ${#STARTED[@]} -gt 0 ]; then
    local part
    for part in registry kafka mongo; do
      [[ " ${STARTED[*]} " == *" $part "* ]] && stop_part "$part" >&2
    done
  fi
  exit 1
}

# Starts a detached process (own session, so it outlives the caller and its terminal), writing its pid.
spawn() { # part log cmd...
  local part=$1 log=$2
  shift 2
  rm -f "$STATE/$part/pid" # a stale one (after a crash) must not pass for the new process
  # shellcheck disable=SC2016 # expanded by the inner shell: its own pid, then the command
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$STATE/$part/pid" "$@" </dev/null >>"$log" 2>&1 9>&- &
  for _ in $(seq 50); do [ -s "$STATE/$part/pid" ] && STARTED+=("$part") && return 0; sleep 0.05; done
  fail "$part" "could not start (no pid written)" "$log"
}

wait_healthy() { # part started_at
  local part=$1 t0=$2 log=$STATE/$1/$1.log ep pid why
  ep=$(endpoint "$part")
  while :; do
    if ! pid=$(running_pid "$part"); then
      fail "$part" "the process exited before it became healthy" "$log"
    fi
    if why=$(probe "$part" "$ep" 2>&1); then
      say "$part: ready on $ep ($(since "$t0"))"
      return 0
    fi
    if awk -v a="$t0" -v b="$(now)" -v t="$TIMEOUT" 'BEGIN { exit !(b - a > t) }'; then
      fail "$part" "not healthy after ${TIMEOUT} s (pid $pid; last probe: $why)" "$log"
    fi
    sleep 0.3
  done
}


mvn_maven() { # log args... -> runs Maven quietly, offline first (a warm ~/.m2 needs no network), online if that fails
  local log=$1
  shift
  command -v mvn >/dev/null || { say "mvn not found on PATH" >>"$log"; return 1; }
  mvn -B -q -o "$@" >>"$log" 2>&1 || mvn -B -q "$@" >>"$log" 2>&1
}

# ---------------------------------------------------------------------------------------------------
# Provisioning (each writes a stamp so a second `up` in the same clone skips it)

prepare_kafka() {
  local dir=$STATE/kafka stamp ok=1 jar
  stamp=$(hash_files "$INFRA_DIR/kafka/pom.xml")
  if [ -f "$dir/classpath.txt" ] && [ "$(cat "$dir/classpath.stamp" 2>/dev/null)" = "$stamp" ]; then
    for jar in $(tr ':' ' ' <"$dir/classpath.txt"); do [ -f "$jar" ] || { ok=0; break; }; done
    [ $ok = 1 ] && return 0
  fi
  say "kafka: resolving jars with Maven (cache: ~/.m2)…"
  local t0
  t0=$(now)
  mvn_maven "$dir/prepare.log" -f "$INFRA_DIR/kafka/pom.xml" dependency:build-classpath "-Dmdep.outputFile=$dir/classpath.txt" ||
    fail kafka "Maven could not resolve the Kafka jars" "$dir/prepare.log"
  say "$stamp" >"$dir/classpath.stamp"
  say "kafka: jars resolved ($(since "$t0"))"
}

prepare_registry() {
  local dir=$STATE/registry stamp archive
  stamp=$(hash_files "$INFRA_DIR/registry/pom.xml")
  if compgen -G "$dir/app/*-runner.jar" >/dev/null && [ "$(cat "$dir/app.stamp" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  say "registry: resolving Apicurio Registry with Maven (cache: ~/.m2)…"
  local t0
  t0=$(now)
  rm -rf "$dir/download"
  mvn_maven "$dir/prepare.log" -f "$INFRA_DIR/registry/pom.xml" dependency:copy@registry "-Dregistry.dir=$dir/download" ||
    fail registry "Maven could not resolve the Apicurio Registry distribution" "$dir/prepare.log"
  archive=$(echo "$dir"/download/*.tar.gz)
  say "registry: unpacking $(basename "$archive")…"
  rm -rf "$dir/app" "$dir/app.tmp" && mkdir -p "$dir/app.tmp"
  tar -xzf "$archive" -C "$dir/app.tmp" 2>>"$dir/prepare.log" ||
    fail registry "could not unpack $archive" "$dir/prepare.log"
  mv "$dir/app.tmp" "$dir/app"
  rm -rf "$dir/download"
  say "$stamp" >"$dir/app.stamp"
  say "registry: resolved and unpacked ($(since "$t0"))"
}

prepare_mongo() {
  local dir=$STATE/mongo src=$INFRA_DIR/ferretdb stamp
  command -v go >/dev/null || fail mongo "go not found on PATH (FerretDB is built from source with Go)"
  command -v patch >/dev/null || fail mongo "patch not found on PATH (FerretDB is patched before the build)"
  stamp=$(hash_files "$src/main.go" "$src/go.mod" "$src/go.sum" "$src"/patches/*.patch)-$(go env GOVERSION)
  if [ -x "$dir/ferretdb" ] && [ "$(cat "$dir/ferretdb.stamp" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  say "mongo: building FerretDB with Go (caches: $(go env GOMODCACHE), $(go env GOCACHE))…"
  local t0 module patched=$dir/build/FerretDB app=$dir/build/app
  t0=$(now)
  mkdir -p "$dir"
  # The module cache is read-only and `go build -overlay` refuses files in it, so the patches go
  # onto a copy of FerretDB's module, which the build module points at with a replace directive.
  module=$(cd "$src" && go mod download -json github.com/FerretDB/FerretDB 2>>"$dir/prepare.log" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$module" ] || fail mongo "go mod download of FerretDB failed" "$dir/prepare.log"
  rm -rf "$dir/build" && mkdir -p "$app"
  cp -R "$module" "$patched" && chmod -R u+w "$patched"
  for p in "$src"/patches/*.patch; do
    patch -d "$patched" -p1 --forward --quiet <"$p" >>"$dir/prepare.log" 2>&1 ||
      fail mongo "patch $(basename "$p") does not apply to $(basename "$module")" "$dir/prepare.log"
  done
  cp "$src/main.go" "$src/go.mod" "$src/go.sum" "$app/"
  (cd "$app" && go mod edit -replace "github.com/FerretDB/FerretDB=$patched" &&
    go build -buildvcs=false -tags ferretdb_no_postgresql -o "$dir/ferretdb.tmp" .) >>"$dir/prepare.log" 2>&1 ||
    fail mongo "go build of infra/ferretdb failed" "$dir/prepare.log"
  mv "$dir/ferretdb.tmp" "$dir/ferretdb"
  rm -rf "$dir/build"
  say "$stamp" >"$dir/ferretdb.stamp"
  say "mongo: FerretDB built with $(ls "$src"/patches/*.patch | wc -l) patch(es) from infra/ferretdb/patches ($(since "$t0"))"
}

# ---------------------------------------------------------------------------------------------------
# Starting

start_kafka() {
  local dir=$STATE/kafka log=$STATE/kafka/kafka.log cp
  mkdir -p "$dir/data"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@DATA_DIR@|$dir/data|g" "$INFRA_DIR/kafka/server.properties.in" >"$dir/server.properties"
  cp=$(cat "$dir/classpath.txt")
  local jvm=(-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true "-Dlog4j.configuration=file:$INFRA_DIR/kafka/log4j.properties"
    "-Dkafka.logs.dir=$dir" -cp "$cp")
  if [ ! -f "$dir/data/meta.properties" ]; then
    say "kafka: formatting KRaft storage…"
    local cluster_id
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    "$JAVA" "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" >>"$log" 2>&1 ||
      fail kafka "formatting the storage failed" "$log"
  fi
  say "kafka: starting Apache Kafka $(kafka_version) (KRaft, one node)…"
  spawn kafka "$log" "$JAVA" "${jvm[@]}" kafka.Kafka "$dir/server.properties"
}

kafka_version() { sed -n 's|.*<kafka.version>\(.*\)</kafka.version>.*|\1|p' "$INFRA_DIR/kafka/pom.xml"; }
registry_version() { sed -n 's|.*<apicurio.version>\(.*\)</apicurio.version>.*|\1|p' "$INFRA_DIR/registry/pom.xml"; }

start_registry() {
  local dir=$STATE/registry log=$STATE/registry/registry.log
  mkdir -p "$dir/tmp"
  say "registry: starting Apicurio Registry $(registry_version) (storage: Kafka topic kafkasql-journal)…"
  # Defaults as in Confluent Schema Registry: BACKWARD compatibility, schemas must be valid.
  spawn registry "$log" "$JAVA" -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
    "-Djava.io.tmpdir=$dir/tmp" \
    -Dquarkus.http.host=$HOST "-Dquarkus.http.port=$SCHEMA_REGISTRY_PORT" \
    -Dquarkus.http.access-log.enabled=false \
    -Dapicurio.storage.kind=kafkasql "-Dapicurio.kafkasql.bootstrap.servers=$HOST:$KAFKA_PORT" \
    "-Dapicurio.storage.snapshot.location=$dir/tmp" "-Dapicurio.import.work-dir=$dir/tmp" \
    -Dapicurio.rules.global.compatibility=BACKWARD -Dapicurio.rules.global.validity=FULL \
    -Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2 -Dapicurio.datasource.jdbc.max-size=20 \
    -jar "$(echo "$dir"/app/*-runner.jar)"
}

start_mongo() {
  local dir=$STATE/mongo log=$STATE/mongo/mongo.log
  mkdir -p "$dir/data"
  say "mongo: starting FerretDB $(sed -n 's|^require github.com/FerretDB/FerretDB \(.*\)|\1|p' "$INFRA_DIR/ferretdb/go.mod") (SQLite backend)…"
  spawn mongo "$log" "$dir/ferretdb" -listen-addr "$HOST:$MONGO_PORT" -sqlite-url "file:$dir/data/" -log-level warn \
    ${MONGO_PPROF_ADDR:+-pprof-addr "$MONGO_PPROF_ADDR"}
}

# ---------------------------------------------------------------------------------------------------
# Commands

already_up() { # part -> true (and says so) if running and healthy under the recorded endpoint
  local part=$1 pid ep
  pid=$(running_pid "$part") || return 1
  ep=$(cat "$STATE/$part/endpoint" 2>/dev/null || endpoint "$part")
  if probe "$part" "$ep" >/dev/null 2>&1; then
    say "$part: already running (pid $pid) on $ep"
    [ "$ep" = "$(endpoint "$part")" ] || say "$part: note: requested $(endpoint "$part") differs; run 'down' first to change ports"
    return 0
  fi
  fail "$part" "pid $pid is running but not healthy on $ep; run 'down' then 'up'" "$STATE/$part/$part.log"
}

cmd_up() {
  local t0 todo=() part pids=() rc=0
  t0=$(now)
  for part in "${PARTS[@]}"; do
    mkdir -p "$STATE/$part"
    already_up "$part" || todo+=("$part")
  done
  [ ${#todo[@]} = 0 ] && return 0
  command -v "$NODE" >/dev/null || fail infra "node not found on PATH (needed for health probes)"
  for part in "${todo[@]}"; do
    case $part in
      kafka) check_port_free kafka "$KAFKA_PORT" && check_port_free kafka "$KAFKA_CONTROLLER_PORT" ;;
      registry) check_port_free registry "$SCHEMA_REGISTRY_PORT" ;;
      mongo) check_port_free mongo "$MONGO_PORT" ;;
    esac
  done
  command -v "$JAVA" >/dev/null || fail infra "java not found (set JAVA_HOME; Java 17+ is needed)"

  # Provision in parallel; each part reports its own failure.
  for part in "${todo[@]}"; do
    ("prepare_$part") &
    pids+=($!)
  done
  for part in "${pids[@]}"; do wait "$part" || rc=1; done
  [ $rc = 0 ] || exit 1

  # Start everything at once: the registry's JVM boots while Kafka does (it retries until Kafka answers).
  local -A t=()
  for part in kafka mongo registry; do
    [[ " ${todo[*]} " == *" $part "* ]] || continue
    t[$part]=$(now)
    "start_$part"
  done
  for part in mongo kafka registry; do
    [[ " ${todo[*]} " == *" $part "* ]] || continue
    wait_healthy "$part" "${t[$part]}"
    if [ "$part" = registry ]; then
      # Healthy is not yet writable: with a long Kafka journal to replay, Apicurio answers its health
      # check while a write still waits (seen: no reply within 3 s). Retry for up to about 100 s (20 tries).
      local tries=0
      until "$NODE" "$INFRA_DIR/probe.js" registry-backward "$(endpoint registry)" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ $tries -ge 20 ]; then
          "$NODE" "$INFRA_DIR/probe.js" registry-backward "$(endpoint registry)" >/dev/null ||
            fail registry "could not set the global compatibility to BACKWARD" "$STATE/registry/registry.log"
          break
        fi
        sleep 2
      done
    fi
    endpoint "$part" >"$STATE/$part/endpoint"
  done
  say "infra: up in $(since "$t0") — $(cmd_env | tr '\n' ' ')"
}

stop_part() {
  local part=$1 pid
  if ! pid=$(running_pid "$part"); then
    rm -f "$STATE/$part/pid"
    say "$part: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$part: still running after 30 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$part/pid" "$STATE/$part/endpoint"
  say "$part: stopped (pid $pid)"
}

cmd_down() { # [parts…] (default: all)
  local part want=" ${*:-${PARTS[*]}} "
  for part in $want; do
    [[ " ${PARTS[*]} " == *" $part "* ]] || fail infra "unknown part '$part' (kafka, registry, mongo)"
  done
  # The registry is a Kafka client: stop it first.
  for part in registry kafka mongo; do
    [[ $want == *" $part "* ]] && stop_part "$part"
  done
  return 0
}

cmd_status() {
  local part pid ep what rc=0
  for part in "${PARTS[@]}"; do
    ep=$(cat "$STATE/$part/endpoint" 2>/dev/null || endpoint "$part")
    if pid=$(running_pid "$part"); then
      if what=$(probe "$part" "$ep" 2>&1); then
        say "$part: running (pid $pid, rss $(ps -o rss= -p "$pid" | awk '{printf "%d MiB", $1/1024}')) on $ep — $what"
      else
        say "$part: UNHEALTHY (pid $pid) on $ep — $what; log: $STATE/$part/$part.log"
        rc=1
      fi
    else
      say "$part: stopped"
      rc=1
    fi
  done
  return $rc
}

cmd_kafka_class() { # CLASS [ARGS…]
  [ $# -ge 1 ] || fail kafka-class "usage: bash infra/infra.sh kafka-class CLASS [ARGS…]"
  mkdir -p "$STATE/kafka"
  prepare_kafka >&2
  exec "$JAVA" -Xmx512m "-Dlog4j.configuration=file:$INFRA_DIR/kafka/tools-log4j.properties" \
    -cp "$(cat "$STATE/kafka/classpath.txt")" "$@"
}

cmd_mongo_binary() { # builds FerretDB if needed; prints the binary's path (tests start private servers)
  mkdir -p "$STATE/mongo"
  prepare_mongo >&2
  say "$STATE/mongo/ferretdb"
}

cmd_kafka_classpath() { # resolves the jars if needed; prints the file holding the classpath
  mkdir -p "$STATE/kafka"
  prepare_kafka >&2
  say "$STATE/kafka/classpath.txt"
}

cmd_env() {
  say "KAFKA_BROKERS=$(cat "$STATE/kafka/endpoint" 2>/dev/null || endpoint kafka)"
  say "SCHEMA_REGISTRY_URL=$(cat "$STATE/registry/endpoint" 2>/dev/null || endpoint registry)"
  say "MONGO_URL=$(cat "$STATE/mongo/endpoint" 2>/dev/null || endpoint mongo)"
}

main() {
  local cmd=${1:-}
  case $cmd in
    up | down)
      mkdir -p "$STATE"
      exec 9>"$STATE/lock"
      flock -w 600 9 || fail infra "another infra.sh $cmd holds $STATE/lock"
      shift
      "cmd_$cmd" "$@"
      ;;
    status) cmd_status ;;
    env) cmd_env ;;
    mongo-binary) cmd_mongo_binary ;;
    kafka-classpath) cmd_kafka_classpath ;;
    kafka-class)
      shift
      cmd_kafka_class "$@"
      ;;
    *)
      say "usage: bash infra/infra.sh up | down [kafka|registry|mongo…] | status | env | mongo-binary | kafka-classpath | kafka-class CLASS [ARGS…]" >&2
      exit 2
      ;;
  esac
}

main "$@"
