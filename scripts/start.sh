#!/usr/bin/env bash
# Starts Aurum Offload locally: a private redis-server, the worker (health and metrics on http://127.0.0.1:8081)
# and the api on http://127.0.0.1:8080. QUARKUS_HTTP_PORT moves the api, AURUM_WORKER_HTTP_PORT the worker.
# Without redis-server on this machine, starts the api alone with the in-process (eager) stub backend.
# Refuses to start when the api or worker port is already taken. Ctrl-C stops everything it started: the api and
# the worker first (waiting out the worker's drain), then Redis. Logs and Redis data go to run/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
. scripts/local-redis.sh
. scripts/local-processes.sh

api_jar=api-service/target/quarkus-app/quarkus-run.jar
worker_jar=worker-service/target/quarkus-app/quarkus-run.jar
if [ ! -f "$api_jar" ] || [ ! -f "$worker_jar" ] || [ -n "$(find common api-service worker-service -newer "$api_jar" -name '*.java' -print -quit)" ]; then
  echo "Building the services..."
  ./mvnw -B -q package -DskipTests -Dnative-check.skip -pl api-service,worker-service -am
fi

mkdir -p run
# The api and the worker stop first, and Redis only once they have exited: a draining worker puts its unfinished
# tasks back into Redis. They get the worker's shutdown grace and a margin, then are killed; this script returns
# only once they are gone.
shutdown_grace=$(seconds_of "${AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE:-25s}" 25)
service_pids=()
redis_pid=""
stop_all() {
  trap - INT TERM EXIT
  stop_and_wait $((shutdown_grace + 10)) "${service_pids[@]}"
  if [ -n "$redis_pid" ]; then stop_and_wait 10 "$redis_pid"; fi
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

export AURUM_API_OFFLOAD_DEMO_JOBS=${AURUM_API_OFFLOAD_DEMO_JOBS:-true}
http_port=${QUARKUS_HTTP_PORT:-8080}
worker_port=${AURUM_WORKER_HTTP_PORT:-8081}
unset QUARKUS_HTTP_PORT
refuse_taken_port "$http_port" QUARKUS_HTTP_PORT "the api"
# Local use only: listen on loopback unless told otherwise.
export QUARKUS_HTTP_HOST=${QUARKUS_HTTP_HOST:-127.0.0.1}

if command -v redis-server >/dev/null; then
  redis_port=${AURUM_LOCAL_REDIS_PORT:-6390}
  refuse_taken_port "$worker_port" AURUM_WORKER_HTTP_PORT "the worker"
  # In a session of its own, so that a Ctrl-C in the terminal does not reach Redis before the worker has drained.
  setsid redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$PWD/run" --appendonly yes \
    --appendfsync everysec --save "" --daemonize no --logfile "$PWD/run/redis.log" &
  redis_pid=$!
  await_own_redis "$redis_pid" "$redis_port" run/redis.log || exit 1
  export AURUM_API_OFFLOAD_ENABLED=true
  export AURUM_API_OFFLOAD_CELERY_BROKER_URL=redis://127.0.0.1:$redis_port/0
  export AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND=redis://127.0.0.1:$redis_port/1
  QUARKUS_HTTP_PORT=$worker_port java -jar "$worker_jar" >> run/worker.log 2>&1 &
  worker_pid=$!
  service_pids+=($worker_pid)
  echo "redis-server on 127.0.0.1:$redis_port, worker on http://127.0.0.1:$worker_port/q/health (log: run/worker.log)"
else
  echo "redis-server not found: starting the api alone on the in-process stub (jobs run inside the api)."
  export AURUM_API_OFFLOAD_USE_STUB=true AURUM_API_OFFLOAD_STUB_EAGER=true
fi

QUARKUS_HTTP_PORT=$http_port java -jar "$api_jar" >> run/api.log 2>&1 &
api_pid=$!
service_pids+=($api_pid)
# The ports were free above, so what answers there now is ours, as long as our processes still run.
started=("api=$api_pid")
if [ -n "${worker_pid:-}" ]; then started+=("worker=$worker_pid"); fi
ready=false
for _ in $(seq 1 300); do
  alive_or_fail "run/api.log and run/worker.log" "${started[@]}" || exit 1
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$http_port/v1/tasks/none" 2>/dev/null; then
    ready=true
    break
  fi
  sleep 0.1
done
if ! $ready; then
  echo "The api does not answer on http://127.0.0.1:$http_port after 30 seconds (see run/api.log)." >&2
  exit 1
fi
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
