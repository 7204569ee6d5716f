{{/*
Facts about the five services that come from their code, not from configuration: whether the
service answers HTTP requests a client makes (api: the two APIs and the dashboard's page) or
consumes Kafka (consumer), and whether it talks to MongoDB.
*/}}
{{- define "drive-deposits.facts" -}}
command-api: { api: true, consumer: false, mongo: true }
query-api: { api: true, consumer: false, mongo: true }
calculator: { api: false, consumer: true, mongo: false }
projector: { api: false, consumer: true, mongo: true }
dashboard: { api: true, consumer: false, mongo: false }
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

{{/*
The plain (non-secret) environment of a service, as a map NAME -> string; its ConfigMap's data.
(dict "root" $ "name" "command-api" "service" $svc)
*/}}
{{- define "drive-deposits.configData" -}}
{{- $v := .root.Values }}
{{- $facts := index (include "drive-deposits.facts" . | fromYaml) .name }}
{{- $env := dict
  "PORT" (toString .service.port)
  "LOG_LEVEL" $v.config.logLevel
  "SHUTDOWN_TIMEOUT_MS" (toString $v.config.shutdownTimeoutMs)
  "KAFKA_BROKERS" $v.kafka.brokers
  "KAFKA_CLIENT_ID" .name
  "KAFKA_SSL" (toString $v.kafka.ssl)
  "KAFKA_TOPIC_PREFIX" $v.kafka.topicPrefix
  "KAFKA_TOPIC_PARTITIONS" (toString $v.kafka.topicPartitions)
  "KAFKA_REPLICATION_FACTOR" (toString $v.kafka.replicationFactor)
  "SCHEMA_REGISTRY_URL" $v.schemaRegistry.url
}}
{{- with $v.config.nodeOptions }}{{ $_ := set $env "NODE_OPTIONS" . }}{{ end }}
{{- with $v.kafka.sasl.mechanism }}
{{- $_ := set $env "KAFKA_SASL_MECHANISM" . }}
{{- $_ := set $env "KAFKA_SASL_USERNAME" $v.kafka.sasl.username }}
{{- end }}
{{- with $v.schemaRegistry.username }}{{ $_ := set $env "SCHEMA_REGISTRY_USERNAME" . }}{{ end }}
{{- if $facts.mongo }}{{ $_ := set $env "MONGO_DB" $v.mongo.db }}{{ end }}
{{- if $facts.consumer }}{{ $_ := set $env "CONSUMER_GROUP" .service.consumerGroup }}{{ end }}
{{- if eq .name "command-api" }}
{{- $_ := set $env "IDEMPOTENCY_TTL_SECONDS" (toString .service.idempotencyTtlSeconds) }}
{{- $_ := set $env "SYNC_WAIT_MAX_SECONDS" (toString .service.syncWaitMaxSeconds) }}
{{- end }}
{{- if eq .name "dashboard" }}
{{- range $api, $var := dict "command-api" "COMMAND_API_URL" "query-api" "QUERY_API_URL" }}
{{- $_ := set $env $var (printf "http://%s:%v" (include "drive-deposits.serviceFullname" (dict "root" $.root "name" $api)) (index $v.services $api).port) }}
{{- end }}
{{- $_ := set $env "API_TIMEOUT_MS" (toString .service.apiTimeoutMs) }}
{{- end }}
{{- range $key, $value := $v.config.env }}{{ $_ := set $env $key (toString $value) }}{{ end }}
{{- range $key, $value := .service.env }}{{ $_ := set $env $key (toString $value) }}{{ end }}
{{- toYaml $env }}
{{- end }}

{{/*
The environment taken from the Secret, as a list of env entries (empty when the service needs none).
(dict "root" $ "name" "command-api")
*/}}
{{- define "drive-deposits.secretEnv" -}}
{{- $v := .root.Values }}
{{- $facts := index (include "drive-deposits.facts" . | fromYaml) .name }}
{{- $secret := include "drive-deposits.secretName" .root }}
{{- $entries := list }}
{{- if $v.kafka.sasl.mechanism }}
{{- $entries = append $entries (list "KAFKA_SASL_PASSWORD" $v.secrets.keys.kafkaSaslPassword) }}
{{- end }}
{{- if $v.schemaRegistry.username }}
{{- $entries = append $entries (list "SCHEMA_REGISTRY_PASSWORD" $v.secrets.keys.schemaRegistryPassword) }}
{{- end }}
{{- if $facts.mongo }}
{{- $entries = append $entries (list "MONGO_URL" $v.secrets.keys.mongoUrl) }}
{{- end }}
{{- range $entries }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ index . 1 }}
{{- end }}
{{- end }}

{{/* Data of the chart-managed Secret (base64). */}}
{{- define "drive-deposits.secretData" -}}
{{- $s := .Values.secrets }}
{{ $s.keys.mongoUrl }}: {{ $s.mongoUrl | b64enc | quote }}
{{- if .Values.kafka.sasl.mechanism }}
{{ $s.keys.kafkaSaslPassword }}: {{ $s.kafkaSaslPassword | b64enc | quote }}
{{- end }}
{{- if .Values.schemaRegistry.username }}
{{ $s.keys.schemaRegistryPassword }}: {{ $s.schemaRegistryPassword | b64enc | quote }}
{{- end }}
{{- end }}

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
{{- end }}
{{- $enabled := 0 }}
{{- range $name, $svc := $v.services }}
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
