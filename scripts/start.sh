#!/usr/bin/env bash
# Starts Aurum Offload locally: a private redis-server, the worker (health and metrics on http://127.0.0.1:8081)
# and the api on http://127.0.0.1:8080. QUARKUS_HTTP_PORT moves the api, AURUM_WORKER_HTTP_PORT the worker.
# Without redis-server on this machine, starts the api alone with the in-process (eager) stub backend.
# Ctrl-C stops everything it started. Logs and Redis data go to run/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
. scripts/local-redis.sh

api_jar=api-service/target/quarkus-app/quarkus-run.jar
worker_jar=worker-service/target/quarkus-app/quarkus-run.jar
if [ ! -f "$api_jar" ] || [ ! -f "$worker_jar" ] || [ -n "$(find common api-service worker-service -newer "$api_jar" -name '*.java' -print -quit)" ]; then
  echo "Building the services..."
  ./mvnw -B -q package -DskipTests -pl common,api-service,worker-service
fi

mkdir -p run
pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

export AURUM_API_OFFLOAD_DEMO_JOBS=${AURUM_API_OFFLOAD_DEMO_JOBS:-true}
http_port=${QUARKUS_HTTP_PORT:-8080}
worker_port=${AURUM_WORKER_HTTP_PORT:-8081}
unset QUARKUS_HTTP_PORT
# Local use only: listen on loopback unless told otherwise.
export QUARKUS_HTTP_HOST=${QUARKUS_HTTP_HOST:-127.0.0.1}

if command -v redis-server >/dev/null; then
  redis_port=${AURUM_LOCAL_REDIS_PORT:-6390}
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$PWD/run" --appendonly yes --appendfsync everysec \
    --save "" --daemonize no --logfile "$PWD/run/redis.log" &
  pids+=($!)
  await_own_redis "$!" "$redis_port" run/redis.log || exit 1
  export AURUM_API_OFFLOAD_ENABLED=true
  export AURUM_API_OFFLOAD_CELERY_BROKER_URL=redis://127.0.0.1:$redis_port/0
  export AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND=redis://127.0.0.1:$redis_port/1
  QUARKUS_HTTP_PORT=$worker_port java -jar "$worker_jar" >> run/worker.log 2>&1 &
  pids+=($!)
  echo "redis-server on 127.0.0.1:$redis_port, worker on http://127.0.0.1:$worker_port/q/health (log: run/worker.log)"
else
  echo "redis-server not found: starting the api alone on the in-process stub (jobs run inside the api)."
  export AURUM_API_OFFLOAD_USE_STUB=true AURUM_API_OFFLOAD_STUB_EAGER=true
fi

QUARKUS_HTTP_PORT=$http_port java -jar "$api_jar" >> run/api.log 2>&1 &
api_pid=$!
pids+=($api_pid)
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$http_port/v1/tasks/none" 2>/dev/null && break
  sleep 0.1
done
cat <<TEXT
api on http://127.0.0.1:$http_port (log: run/api.log). Try:
  curl -i -X POST http://127.0.0.1:$http_port/v1/heavy -H 'X-Aurum-Tenant: acme'
  curl -i http://127.0.0.1:$http_port/v1/heavy/<task_id> -H 'X-Aurum-Tenant: acme'
  curl http://127.0.0.1:$http_port/q/metrics; curl http://127.0.0.1:$http_port/q/health
Ctrl-C stops everything. A worker that dies leaves the api and Redis running (see the README to start another).
TEXT
# The api is what this script serves; when it exits on its own, everything stops.
wait "$api_pid" || true
echo "The api exited; stopping the rest (see run/api.log)."
