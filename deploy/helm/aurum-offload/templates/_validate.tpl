{{/*
Checks of the values that Kubernetes itself would not catch, or would catch only once pods crash. Each failure
says which value to change and how. Included once, from configmap.yaml.
*/}}
{{- define "aurum-offload.validate" -}}
{{- $secretKeys := list "AURUM_API_OFFLOAD_REDIS_PASSWORD" "AURUM_API_OFFLOAD_API_ADMIN_PASSWORD" }}
{{- range $key, $value := .Values.config }}
{{- if not (regexMatch "^AURUM_API_OFFLOAD_[A-Z0-9_]+$" $key) }}
{{- fail (printf "config.%s is not a setting: keys are AURUM_API_OFFLOAD_* environment names (README, Settings)" $key) }}
{{- end }}
{{- if has $key $secretKeys }}
{{- fail (printf "config.%s would put a password in the ConfigMap: give it in auth (auth.redisPassword, auth.adminPassword or auth.existingSecret)" $key) }}
{{- end }}
{{- if eq $key "AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE" }}
{{- fail "config.AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE: set worker.shutdownGraceSeconds instead, from which the chart also derives the worker pods' termination grace" }}
{{- end }}
{{- end }}
{{- with .Values.config.AURUM_API_OFFLOAD_WORKER_QUEUES }}
{{- if regexMatch "\\s" (toString .) }}
{{- fail (printf "config.AURUM_API_OFFLOAD_WORKER_QUEUES %q: separate the queues with commas alone; the services would read a space as part of a queue's name" (toString .)) }}
{{- end }}
{{- end }}
{{- range $key := list "AURUM_API_OFFLOAD_CELERY_BROKER_URL" "AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND" }}
{{- with (index $.Values.config $key) }}
{{- if (urlParse (toString .)).userinfo }}
{{- fail (printf "config.%s carries credentials: put the password in auth.redisPassword or auth.existingSecret, and an ACL user name in the URL's query (?user=NAME)" $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.auth.existingSecret (or .Values.auth.redisPassword .Values.auth.adminPassword) }}
{{- fail "auth: give either auth.existingSecret or the passwords (auth.redisPassword, auth.adminPassword), not both" }}
{{- end }}
{{- if and (not .Values.auth.existingSecret) .Values.auth.redisPassword (not .Values.auth.redisPasswordKey) }}
{{- fail "auth.redisPasswordKey must name the key the chart stores auth.redisPassword under" }}
{{- end }}
{{- if and (not .Values.auth.existingSecret) .Values.auth.adminPassword (not .Values.auth.adminPasswordKey) }}
{{- fail "auth.adminPasswordKey must name the key the chart stores auth.adminPassword under" }}
{{- end }}
{{- if lt (int .Values.worker.shutdownGraceSeconds) 0 }}
{{- fail "worker.shutdownGraceSeconds must be 0 or more" }}
{{- end }}
{{- if lt (int .Values.worker.preStopSleepSeconds) 0 }}
{{- fail "worker.preStopSleepSeconds must be 0 or more" }}
{{- end }}
{{- if lt (int .Values.worker.terminationMarginSeconds) 1 }}
{{- fail "worker.terminationMarginSeconds must be at least 1: after the shutdown grace the worker still puts unfinished tasks back on their queues" }}
{{- end }}
{{- if le (int .Values.api.terminationGracePeriodSeconds) (int .Values.api.preStopSleepSeconds) }}
{{- fail "api.terminationGracePeriodSeconds must be above api.preStopSleepSeconds, or the api is killed before it stops by itself" }}
{{- end }}
{{- if and .Values.api.autoscaling.enabled (gt (int .Values.api.autoscaling.minReplicas) (int .Values.api.autoscaling.maxReplicas)) }}
{{- fail "api.autoscaling.minReplicas must not be above api.autoscaling.maxReplicas" }}
{{- end }}
{{- if .Values.worker.keda.enabled }}
{{- if gt (int .Values.worker.keda.minReplicaCount) (int .Values.worker.keda.maxReplicaCount) }}
{{- fail "worker.keda.minReplicaCount must not be above worker.keda.maxReplicaCount" }}
{{- end }}
{{- if lt (int .Values.worker.keda.listLength) 1 }}
{{- fail "worker.keda.listLength must be at least 1 (pending tasks per worker pod)" }}
{{- end }}
{{- $broker := urlParse (toString (default "redis://localhost:6379/0" .Values.config.AURUM_API_OFFLOAD_CELERY_BROKER_URL)) }}
{{- if not (has $broker.scheme (list "redis" "rediss")) }}
{{- fail "worker.keda.enabled: KEDA reads queue lengths over TCP, so AURUM_API_OFFLOAD_CELERY_BROKER_URL must be a redis:// or rediss:// URL" }}
{{- end }}
{{- if contains "user=" $broker.query }}
{{- fail "worker.keda.enabled: the chart's KEDA trigger authenticates with the password alone; it cannot log in as the ACL user named in AURUM_API_OFFLOAD_CELERY_BROKER_URL" }}
{{- end }}
{{- end }}
{{- end }}
