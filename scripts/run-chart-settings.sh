#!/usr/bin/env bash
# Runs the api and a worker locally with the settings the Helm chart gives their pods: the chart is rendered by
# Helm's own engine (helm-java, no helm binary), and each service gets the environment of its rendered
# container (the ConfigMap, and the passwords from the chart-created Secret). Needs the built jars and
# redis-server; builds them when missing.
#
#   scripts/run-chart-settings.sh [values.yaml...]           # run until Ctrl-C
#   scripts/run-chart-settings.sh --check [values.yaml...]   # enqueue one job, wait for SUCCESS, stop
#
# Values files are applied over the chart's values, as with helm install -f. What a laptop needs differently
# from a cluster is overridden, and said: the Redis host and port in the two Redis URLs (the chart names a
# Service) become a private redis-server on 127.0.0.1 that requires the chart's Redis password, and the
# services listen on 127.0.0.1. The chart's own Redis password and admin password, if the values give none,
# are made up for the run. Logs, the rendered environments and Redis data go to run/chart/.
#
# Refuses to start when the api or worker port is already taken; stops the api and the worker before Redis.
#
# Environment: QUARKUS_HTTP_PORT (api, default 8080), AURUM_WORKER_HTTP_PORT (worker, default 8081),
# AURUM_LOCAL_REDIS_PORT (default 6391), AURUM_SKIP_BUILD=1 to never build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
. scripts/local-redis.sh
. scripts/local-processes.sh

check=false
if [ "${1:-}" = "--check" ]; then
  check=true
  shift
fi
user_values=()
for file in "$@"; do user_values+=("$(realpath "$file")"); done

api_jar=api-service/target/quarkus-app/quarkus-run.jar
worker_jar=worker-service/target/quarkus-app/quarkus-run.jar
if [ ! -f "$api_jar" ] || [ ! -f "$worker_jar" ] || [ ! -f deploy/target/classpath.txt ]; then
  if [ "${AURUM_SKIP_BUILD:-}" = 1 ]; then
    echo "The jars or deploy/target/classpath.txt are missing; build with: ./mvnw -B package -DskipTests" >&2
    exit 1
  fi
  echo "Building the services and the chart renderer..."
  ./mvnw -B -q package -DskipTests -Dnative-check.skip -pl api-service,worker-service,deploy -am
fi
if ! command -v redis-server >/dev/null; then
  echo "redis-server is missing (Debian: apt-get install redis-server)." >&2
  exit 1
fi

run=run/chart
mkdir -p "$run"
api_port=${QUARKUS_HTTP_PORT:-8080}
worker_port=${AURUM_WORKER_HTTP_PORT:-8081}
redis_port=${AURUM_LOCAL_REDIS_PORT:-6391}
refuse_taken_port "$api_port" QUARKUS_HTTP_PORT "the api"
refuse_taken_port "$worker_port" AURUM_WORKER_HTTP_PORT "the worker"

# Passwords for this run, unless the given values bring their own: into a values file, so they take the chart's
# path (the Secret the chart creates, read through secretKeyRef) rather than a side door.
random_password() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
umask 077
cat > "$run/passwords.yaml" <<VALUES
auth:
  redisPassword: "$(random_password)"
  adminPassword: "$(random_password)"
VALUES
umask 022

render_environment() {
  java --enable-native-access=ALL-UNNAMED -cp "deploy/target/classes:$(cat deploy/target/classpath.txt)" io.aurum.offload.deploy.ChartEnvironment \
    "$1" "$run/passwords.yaml" "${user_values[@]}" > "$run/$1.env"
  chmod 600 "$run/$1.env"
}
render_environment api
render_environment worker
redis_password=$(sed -n 's/^AURUM_API_OFFLOAD_REDIS_PASSWORD=//p' "$run/worker.env")
if [ -z "$redis_password" ]; then
  echo "The rendered worker has no Redis password: the values must not take auth away (existingSecret?)." >&2
  exit 1
fi

# redis://host:port/db?query -> redis://127.0.0.1:PORT/db?query; everything but host and port is kept.
on_loopback() {
  local scheme=${1%%://*} rest=${1#*://}
  local authority=${rest%%[/?]*}
  echo "$scheme://127.0.0.1:$redis_port${rest#"$authority"}"
}

# The api and the worker stop first, and Redis only once they have exited: a draining worker puts its unfinished
# tasks back into Redis. They get the worker's shutdown grace and a margin, then are killed.
shutdown_grace=$(seconds_of "$(sed -n 's/^AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE=//p' "$run/worker.env")" 25)
service_pids=()
redis_pid=""
stop_all() {
  trap - INT TERM EXIT
  stop_and_wait $((shutdown_grace + 10)) "${service_pids[@]}"
  if [ -n "$redis_pid" ]; then stop_and_wait 10 "$redis_pid"; fi
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

# The password goes in through the configuration on standard input, so that it shows in no process list. Redis
# runs in a session of its own, so that a Ctrl-C in the terminal does not reach it before the worker has drained.
echo "requirepass $redis_password" | setsid redis-server - --port "$redis_port" --bind 127.0.0.1 \
  --dir "$PWD/$run" --save "" --appendonly no --daemonize no --logfile "$PWD/$run/redis.log" &
redis_pid=$!
REDISCLI_AUTH=$redis_password await_own_redis "$redis_pid" "$redis_port" "$run/redis.log" || exit 1

# Starts one service with only its rendered environment (inherited AURUM_* and QUARKUS_* variables removed).
start_service() {
  local component=$1 jar=$2 port=$3
  (
    for name in $(compgen -e); do
      case $name in AURUM_*|QUARKUS_*) unset "$name" ;; esac
    done
    while IFS= read -r line; do export "$line"; done < "$run/$component.env"
    export AURUM_API_OFFLOAD_CELERY_BROKER_URL="$(on_loopback "$AURUM_API_OFFLOAD_CELERY_BROKER_URL")"
    export AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND="$(on_loopback "$AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND")"
    export QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$port
    exec java -jar "$jar" > "$run/$component.log" 2>&1
  ) &
  service_pids+=($!)
}
start_service worker "$worker_jar" "$worker_port"
worker_pid=$!
start_service api "$api_jar" "$api_port"
api_pid=$!

# Ready once both answer HTTP, each on its own port, while our own processes are still running: the ports were
# free above, so what answers there now is ours.
base=http://127.0.0.1:$api_port
ready=false
for _ in $(seq 1 300); do
  alive_or_fail "$run/api.log and $run/worker.log" "api=$api_pid" "worker=$worker_pid" || exit 1
  if curl -s -o /dev/null --max-time 2 "$base/v1/tasks/none" 2>/dev/null &&
      curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$worker_port/q/health/live" 2>/dev/null; then
    ready=true
    break
  fi
  sleep 0.2
done
if ! $ready; then
  echo "The api on $base or the worker on port $worker_port did not answer within a minute" \
    "(see $run/api.log and $run/worker.log)." >&2
  exit 1
fi
echo "api on $base and a worker, with the chart's settings (environments in $run/api.env and $run/worker.env)"

if $check; then
  answer=$(curl -s -X POST "$base/v1/jobs/heavy_compute" -H 'X-Aurum-Tenant: chart-check' \
    -H 'Content-Type: application/json' -d '{"n": 1}')
  task_id=$(echo "$answer" | sed -n 's/.*"task_id":"\([^"]*\)".*/\1/p')
  if [ -z "$task_id" ]; then
    echo "The api did not accept the job: $answer (see $run/api.log)" >&2
    exit 1
  fi
  for _ in $(seq 1 6); do
    status=$(curl -s "$base/v1/tasks/$task_id?wait=10" -H 'X-Aurum-Tenant: chart-check')
    case $status in
      *'"state":"SUCCESS"'*) echo "task $task_id SUCCESS"; exit 0 ;;
      *'"state":"FAILURE"'*|*'"state":"REVOKED"'*) break ;;
    esac
  done
  echo "task $task_id did not succeed: $status (see $run/worker.log)" >&2
  exit 1
fi

cat <<TEXT
Try:
  curl -i -X POST $base/v1/jobs/heavy_compute -H 'X-Aurum-Tenant: acme' -H 'Content-Type: application/json' -d '{"n": 42}'
The admin password of this run is in $run/api.env. Ctrl-C stops everything.
TEXT
wait "$api_pid" || true
