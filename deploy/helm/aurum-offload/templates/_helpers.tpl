{{/*
Names, labels and the values the templates share. Every name is cut to 63 characters, the limit of DNS
labels that Kubernetes names and label values obey.
*/}}

{{/* The chart's name, or nameOverride. */}}
{{- define "aurum-offload.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every resource name: fullnameOverride, else "<release>-<chart name>", else the release name alone
when it already contains the chart name.
*/}}
{{- define "aurum-offload.fullname" -}}
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

{{/* Name of one component's resources: "<fullname>-api", "<fullname>-worker". Takes (list $ "api"). */}}
{{- define "aurum-offload.componentName" -}}
{{- $root := index . 0 }}
{{- printf "%s-%s" (include "aurum-offload.fullname" $root | trunc 56 | trimSuffix "-") (index . 1) }}
{{- end }}

{{/* "<chart>-<version>" for the helm.sh/chart label. */}}
{{- define "aurum-offload.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource of the release. */}}
{{- define "aurum-offload.labels" -}}
helm.sh/chart: {{ include "aurum-offload.chart" . }}
app.kubernetes.io/name: {{ include "aurum-offload.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aurum-offload
{{- end }}

{{/* Labels of one component's resources: the release's labels and the component. Takes (list $ "api"). */}}
{{- define "aurum-offload.componentLabels" -}}
{{ include "aurum-offload.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/*
Selector labels of one component: name, instance and component only, since a Deployment's selector can never
change after it is created. Takes (list $ "api").
*/}}
{{- define "aurum-offload.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aurum-offload.name" (index . 0) }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Name of the ServiceAccount the pods run as. */}}
{{- define "aurum-offload.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "aurum-offload.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the ConfigMap of settings. */}}
{{- define "aurum-offload.configName" -}}
{{- include "aurum-offload.componentName" (list . "config") }}
{{- end }}

{{/* Ports the images listen on: quarkus.http.port of each service's application.properties. */}}
{{- define "aurum-offload.api.port" -}}8080{{- end }}
{{- define "aurum-offload.worker.port" -}}8081{{- end }}

{{/* Whether the chart creates the Secret: no existingSecret, and at least one password given. */}}
{{- define "aurum-offload.createSecret" -}}
{{- if and (not .Values.auth.existingSecret) (or .Values.auth.redisPassword .Values.auth.adminPassword) }}true{{- end }}
{{- end }}

{{/* Name of the Secret the pods read the passwords from. */}}
{{- define "aurum-offload.secretName" -}}
{{- default (include "aurum-offload.fullname" .) .Values.auth.existingSecret }}
{{- end }}

{{/* Whether the pods get a Redis password from the Secret. */}}
{{- define "aurum-offload.hasRedisPassword" -}}
{{- if .Values.auth.existingSecret }}{{ if .Values.auth.redisPasswordKey }}true{{ end }}
{{- else if .Values.auth.redisPassword }}true{{ end }}
{{- end }}

{{/* Whether the api gets an admin password from the Secret. */}}
{{- define "aurum-offload.hasAdminPassword" -}}
{{- if .Values.auth.existingSecret }}{{ if .Values.auth.adminPasswordKey }}true{{ end }}
{{- else if .Values.auth.adminPassword }}true{{ end }}
{{- end }}

{{/* The Redis password as a container env entry read from the Secret. */}}
{{- define "aurum-offload.redisPasswordEnv" -}}
{{- if include "aurum-offload.hasRedisPassword" . -}}
- name: AURUM_API_OFFLOAD_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "aurum-offload.secretName" . }}
      key: {{ .Values.auth.redisPasswordKey | quote }}
{{- end }}
{{- end }}

{{/*
The ConfigMap's data: the values' `config` with every value a string, and the worker's shutdown grace from
worker.shutdownGraceSeconds, so that the termination grace below is derived from the same number. Helm reads the
numbers of values files as float64, whose text for 2000000 is "2e+06": whole numbers are written as integers.
*/}}
{{- define "aurum-offload.configData" -}}
{{- range $key, $value := .Values.config }}
{{- $text := toString $value }}
{{- if and (kindIs "float64" $value) (eq $value (float64 (int64 $value))) }}
{{- $text = toString (int64 $value) }}
{{- end }}
{{ $key }}: {{ $text | quote }}
{{- end }}
AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE: {{ printf "%ds" (int .Values.worker.shutdownGraceSeconds) | quote }}
{{- end }}

{{/* The worker's termination grace: preStop sleep, then the shutdown grace, then the margin to exit. */}}
{{- define "aurum-offload.worker.terminationGracePeriodSeconds" -}}
{{- add (int .Values.worker.preStopSleepSeconds) (int .Values.worker.shutdownGraceSeconds) (int .Values.worker.terminationMarginSeconds) }}
{{- end }}

{{/*
The queues the workers consume: AURUM_API_OFFLOAD_WORKER_QUEUES, else the default queue, as a list without
repeats, in their first order.
*/}}
{{- define "aurum-offload.workerQueues" -}}
{{- $queues := list }}
{{- with .Values.config.AURUM_API_OFFLOAD_WORKER_QUEUES }}
{{- range (splitList "," (toString .)) }}
{{- if . }}{{ $queues = append $queues . }}{{ end }}
{{- end }}
{{- end }}
{{- /* A queue named twice is consumed once; KEDA would otherwise get the same trigger twice. */}}
{{- $queues = uniq $queues }}
{{- if not $queues }}
{{- $queues = list (toString (default "default" .Values.config.AURUM_API_OFFLOAD_DEFAULT_QUEUE)) }}
{{- end }}
{{- toJson $queues }}
{{- end }}

{{/* Annotations pointing Prometheus at /q/metrics on a component's port. Takes (list $ port). */}}
{{- define "aurum-offload.metricsAnnotations" -}}
{{- if (index . 0).Values.metricsAnnotations -}}
prometheus.io/scrape: "true"
prometheus.io/path: /q/metrics
prometheus.io/port: {{ index . 1 | quote }}
{{- end }}
{{- end }}


{{/* "true" when a value is given: neither absent (null) nor "". A 0 is given. */}}
{{- define "aurum-offload.given" -}}
{{- if and (not (kindIs "invalid" .)) (ne (toString .) "") }}true{{ end }}
{{- end }}

{{/*
Pods that a PodDisruptionBudget bound (a number, or a percentage) stands for when `pods` pods run, rounded up as
Kubernetes rounds both minAvailable and maxUnavailable. Takes (list bound pods).
*/}}
{{- define "aurum-offload.scaledPods" -}}
{{- $bound := index . 0 }}
{{- $pods := index . 1 | int }}
{{- if kindIs "string" $bound }}
{{- $percent := trimSuffix "%" $bound | int }}
{{- div (add (mul $percent $pods) 99) 100 }}
{{- else }}
{{- int $bound }}
{{- end }}
{{- end }}

{{/*
The spec lines of a component's PodDisruptionBudget: minAvailable when given, else maxUnavailable, 1 when neither
is given. Takes (list $ "api").
*/}}
{{- define "aurum-offload.disruptionBudgetSpec" -}}
{{- $budget := index (index . 0).Values (index . 1) "podDisruptionBudget" }}
{{- if include "aurum-offload.given" $budget.minAvailable }}
minAvailable: {{ include "aurum-offload.podCount" $budget.minAvailable }}
{{- else if include "aurum-offload.given" $budget.maxUnavailable }}
maxUnavailable: {{ include "aurum-offload.podCount" $budget.maxUnavailable }}
{{- else }}
maxUnavailable: 1
{{- end }}
{{- end }}

{{/* A number of pods as a YAML integer, or a percentage as a quoted string. */}}
{{- define "aurum-offload.podCount" -}}
{{- if kindIs "string" . }}{{ quote . }}{{ else }}{{ int . }}{{ end }}
{{- end }}
