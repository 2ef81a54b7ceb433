{{/*
Checks of the values that Kubernetes itself would not catch, or would catch only once pods crash. Each failure
says which value to change and how. Included once, from configmap.yaml. Types and bounds of single values are
checked before any template runs, by Helm against values.schema.json.
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
{{- if and (not .Values.auth.existingSecret) .Values.auth.redisPassword .Values.auth.adminPassword
      (eq (toString .Values.auth.redisPasswordKey) (toString .Values.auth.adminPasswordKey)) }}
{{- fail (printf (print "auth.redisPasswordKey and auth.adminPasswordKey are both %q: the chart's Secret would hold "
      "that key twice, and one password would be lost. Give the two passwords different keys")
      (toString .Values.auth.redisPasswordKey)) }}
{{- end }}
{{- range $name := list "redisPasswordKey" "adminPasswordKey" }}
{{- $key := toString (index $.Values.auth $name) }}
{{- if and $key (or (gt (len $key) 253) (not (regexMatch "^[-._a-zA-Z0-9]+$" $key)) (eq $key ".")
      (hasPrefix ".." $key)) }}
{{- fail (printf (print "auth.%s %q is not a valid Secret key: use letters, digits, '-', '_' and '.' only, "
      "at most 253 characters, neither '.' nor starting with '..'") $name $key) }}
{{- end }}
{{- end }}
{{- with .Values.auth.existingSecret }}
{{- if or (gt (len .) 253) (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" .)) }}
{{- fail (printf (print "auth.existingSecret %q is not a valid Secret name: lower-case letters, digits, '-' and '.', "
      "starting and ending with a letter or digit, at most 253 characters") .) }}
{{- end }}
{{- end }}
{{- include "aurum-offload.validateDisruptionBudget" (list . "api") }}
{{- include "aurum-offload.validateDisruptionBudget" (list . "worker") }}
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
{{- $broker := urlParse (toString (default "redis://localhost:6379/0" .Values.config.AURUM_API_OFFLOAD_CELERY_BROKER_URL)) }}
{{- if not (has $broker.scheme (list "redis" "rediss")) }}
{{- fail "worker.keda.enabled: KEDA reads queue lengths over TCP, so AURUM_API_OFFLOAD_CELERY_BROKER_URL must be a redis:// or rediss:// URL" }}
{{- end }}
{{- if contains "user=" $broker.query }}
{{- fail "worker.keda.enabled: the chart's KEDA trigger authenticates with the password alone; it cannot log in as the ACL user named in AURUM_API_OFFLOAD_CELERY_BROKER_URL" }}
{{- end }}
{{- end }}
{{- end }}


{{/*
A component's PodDisruptionBudget must let a drain evict at least one pod however few pods run, or every node
drain waits on it forever. Takes (list $ "api").
*/}}
{{- define "aurum-offload.validateDisruptionBudget" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $values := index $root.Values $component }}
{{- $budget := $values.podDisruptionBudget }}
{{- if $budget.enabled }}
{{- $fewest := int $values.replicaCount }}
{{- $source := printf "%s.replicaCount" $component }}
{{- if and (eq $component "api") $values.autoscaling.enabled }}
{{- $fewest = int $values.autoscaling.minReplicas }}
{{- $source = "api.autoscaling.minReplicas" }}
{{- else if and (eq $component "worker") $values.keda.enabled }}
{{- $fewest = int $values.keda.minReplicaCount }}
{{- $source = "worker.keda.minReplicaCount" }}
{{- end }}
{{- $pods := max $fewest 1 }}
{{- $min := include "aurum-offload.given" $budget.minAvailable }}
{{- $max := include "aurum-offload.given" $budget.maxUnavailable }}
{{- if and $min $max }}
{{- fail (printf "%s.podDisruptionBudget: give minAvailable or maxUnavailable, not both" $component) }}
{{- end }}
{{- if $min }}
{{- $kept := include "aurum-offload.scaledPods" (list $budget.minAvailable $pods) | int }}
{{- if ge $kept $pods }}
{{- fail (printf (print "%s.podDisruptionBudget.minAvailable %v would block every node drain: with %d %s pod(s) "
      "(%s is %d) it keeps them all, so none may be evicted. Lower it, or leave it empty and set maxUnavailable "
      "(1 by default)") $component $budget.minAvailable $pods $component $source $fewest) }}
{{- end }}
{{- else if $max }}
{{- if eq (include "aurum-offload.scaledPods" (list $budget.maxUnavailable $pods) | int) 0 }}
{{- fail (printf (print "%s.podDisruptionBudget.maxUnavailable %v would block every node drain: no %s pod may be "
      "evicted. Set it to 1 or more, or leave it empty for 1") $component $budget.maxUnavailable $component) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
