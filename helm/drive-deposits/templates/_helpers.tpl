{{/*
Facts about the five services that come from their code, not from configuration: whether the
service answers HTTP requests a client makes (api: the two APIs and the dashboard's page). What
each reads from its environment is in _env.tpl.
*/}}
{{- define "drive-deposits.facts" -}}
command-api: { api: true }
query-api: { api: true }
calculator: { api: false }
projector: { api: false }
dashboard: { api: true }
{{- end }}

{{- define "drive-deposits.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's objects; a service's objects are "<fullname>-<service>".
*/}}
{{- define "drive-deposits.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* (dict "root" $ "name" "command-api") */}}
{{- define "drive-deposits.serviceFullname" -}}
{{- printf "%s-%s" (include "drive-deposits.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "drive-deposits.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object; pass the root context. */}}
{{- define "drive-deposits.labels" -}}
helm.sh/chart: {{ include "drive-deposits.chart" . }}
{{ include "drive-deposits.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: drive-deposits
{{- end }}

{{- define "drive-deposits.selectorLabels" -}}
app.kubernetes.io/name: {{ include "drive-deposits.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one service's objects: (dict "root" $ "name" "command-api") */}}
{{- define "drive-deposits.serviceLabels" -}}
{{ include "drive-deposits.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "drive-deposits.serviceSelectorLabels" -}}
{{ include "drive-deposits.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "drive-deposits.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "drive-deposits.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "drive-deposits.secretName" -}}
{{- default (include "drive-deposits.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* Image reference of a service: (dict "root" $ "service" $svc) */}}
{{- define "drive-deposits.image" -}}
{{- $image := .service.image }}
{{- $repository := $image.repository }}
{{- with .root.Values.image.registry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}
{{- end }}
{{- if $image.digest }}
{{- printf "%s@%s" $repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (toString (default (default .root.Chart.AppVersion .root.Values.image.tag) $image.tag)) }}
{{- end }}
{{- end }}

{{/* The environment of each service (configData, secretEnv, secretData): _env.tpl, generated. */}}

{{/*
Render-time checks the schema cannot express. Called once, from the Secret template's file.
*/}}
{{- define "drive-deposits.validate" -}}
{{- $v := .Values }}
{{- if not $v.secrets.existingSecret }}
{{- if and $v.kafka.sasl.mechanism (not $v.secrets.kafkaSaslPassword) }}
{{- fail "kafka.sasl.mechanism is set: set secrets.kafkaSaslPassword or secrets.existingSecret" }}
{{- end }}
{{- if and $v.schemaRegistry.username (not $v.secrets.schemaRegistryPassword) }}
{{- fail "schemaRegistry.username is set: set secrets.schemaRegistryPassword or secrets.existingSecret" }}
{{- end }}
{{- if and $v.schemaRegistry.bearerAuth (not $v.secrets.schemaRegistryBearerToken) }}
{{- fail "schemaRegistry.bearerAuth is true: set secrets.schemaRegistryBearerToken or secrets.existingSecret" }}
{{- end }}
{{- end }}
{{- if and (or $v.schemaRegistry.bearerAuth $v.schemaRegistry.bearerTokenFile) $v.schemaRegistry.username }}
{{- fail "schemaRegistry: basic auth (username) and a bearer token (bearerAuth, bearerTokenFile) are alternatives: set one" }}
{{- end }}
{{- if and $v.schemaRegistry.bearerAuth $v.schemaRegistry.bearerTokenFile }}
{{- fail "schemaRegistry: bearerAuth (a token in the Secret) and bearerTokenFile are alternatives: set one" }}
{{- end }}
{{- if and $v.kafka.sslCaFile (not $v.kafka.ssl) }}
{{- fail "kafka.sslCaFile is set but kafka.ssl is false: set kafka.ssl true" }}
{{- end }}
{{- if and $v.mongo.tlsCaFile (not $v.mongo.tls) }}
{{- fail "mongo.tlsCaFile is set but mongo.tls is false: set mongo.tls true" }}
{{- end }}
{{- if eq $v.auth.mode "jwt" }}
{{- if or (not $v.auth.issuer) (not $v.auth.audience) (not (or $v.auth.jwksUrl $v.auth.publicKey $v.auth.publicKeyFile)) }}
{{- fail "auth.mode is jwt (the default): set auth.issuer, auth.audience and auth.jwksUrl (or auth.publicKey / auth.publicKeyFile), or set auth.mode=off to run the APIs without authentication" }}
{{- end }}
{{- end }}
{{- $enabled := 0 }}
{{- range $name, $svc := $v.services }}
{{- if and $svc.secretKeys (not $v.secrets.existingSecret) }}
{{- fail (printf "services.%s.secretKeys names keys of an existing Secret: set secrets.existingSecret (the chart's own Secret holds only secrets.keys.*)" $name) }}
{{- end }}
{{- if $svc.enabled }}
{{- $enabled = add1 $enabled }}
{{- $grace := int (ternary $svc.terminationGracePeriodSeconds $v.terminationGracePeriodSeconds (hasKey $svc "terminationGracePeriodSeconds")) }}
{{- $needed := add (div (add $v.config.shutdownTimeoutMs 999) 1000) $svc.preStopSleepSeconds }}
{{- if and $svc.autoscaling.enabled (gt (int $svc.autoscaling.minReplicas) (int $svc.autoscaling.maxReplicas)) }}
{{- fail (printf "services.%s.autoscaling: minReplicas (%v) exceeds maxReplicas (%v)" $name $svc.autoscaling.minReplicas $svc.autoscaling.maxReplicas) }}
{{- end }}
{{- if le $grace $needed }}
{{- fail (printf "services.%s: terminationGracePeriodSeconds (%d) must exceed ceil(config.shutdownTimeoutMs / 1000) + preStopSleepSeconds (%d), or Kubernetes kills the pod mid-shutdown" $name $grace $needed) }}
{{- end }}
{{- end }}
{{- end }}
{{- if $v.services.dashboard.enabled }}
{{- range $api := list "command-api" "query-api" }}
{{- if not (index $v.services $api).enabled }}
{{- fail (printf "services.dashboard forwards to %s, which is disabled (services.%s.enabled)" $api $api) }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq $enabled 0 }}
{{- fail "every service is disabled (services.<name>.enabled): nothing to deploy" }}
{{- end }}
{{- if $v.ingress.enabled }}
{{- $facts := include "drive-deposits.facts" . | fromYaml }}
{{- range $v.ingress.hosts }}
{{- range .paths }}
{{- if not (index $facts .service).api }}
{{- fail (printf "ingress: %s serves no API; only command-api, query-api and dashboard can be backends" .service) }}
{{- end }}
{{- if not (index $v.services .service).enabled }}
{{- fail (printf "ingress: %s is disabled (services.%s.enabled)" .service .service) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
