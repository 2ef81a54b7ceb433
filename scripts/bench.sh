#!/usr/bin/env bash
# Benchmark of the packaged api and worker on a private, loopback-only redis-server, beside the peers (FastAPI with
# Celery, RQ, Sidekiq, BullMQ) measured in the same run by ../shared/peers when that folder exists.
#
#   scripts/bench.sh                      # everything: one pass of every peer, then the report
#   RUNS=2 PEERS="redis fastapi aurum" scripts/bench.sh
#   PEERS_DIR=/nowhere scripts/bench.sh   # ours alone on its own redis-server
#
# Prints one line per figure (peer=<p> metric=<m> value=<v> n=<n> concurrency=<c> run=<r> [k=v ...]) and writes
# bench/results/<stamp>.txt (raw lines), <stamp>.md (machine, targets, figures), <stamp>.png (chart), with
# copies as latest.md and latest.png; service and peer logs go to bench/logs/<stamp>/.
# Knobs (env): RUNS (1), PEERS, BENCH_N (50000), BENCH_LAT_N (500), WRK_DURATION (20s), WRK_CONNECTIONS (32),
# BENCH_SEPARATE_DB=1 (results in database 1), BENCH_TIMEOUT_S (3600, the whole run), SKIP_INSTALL=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/java-home.sh

note() { echo "# $*" >&2; }

# ---------------------------------------------------------------- tools (Debian's packages)
install_missing() {
  local missing=() tool package
  for tool in wrk:wrk gnuplot:gnuplot-nox redis-server:redis-server redis-cli:redis-tools \
      redis-benchmark:redis-tools; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
  done
  ((${#missing[@]})) || return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [ "$(id -u)" != 0 ]; then
    note "missing: ${missing[*]}; install them (apt-get install ${missing[*]}) or run this as root"
    exit 1
  fi
  note "installing from Debian's packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  # The Debian package may start a system Redis on 6379; the benchmark never uses it.
  for package in "${missing[@]}"; do
    if [ "$package" = redis-server ] && command -v systemctl >/dev/null &&
        systemctl is-active --quiet redis-server 2>/dev/null; then
      systemctl stop redis-server || true
    fi
  done
}
[ "${SKIP_INSTALL:-0}" = 1 ] || install_missing

# ---------------------------------------------------------------- build
note "building the services and the benchmark"
./mvnw -B -q -DskipTests package -pl api-service,worker-service,benchmark -am
API_JAR=$ROOT/api-service/target/quarkus-app/quarkus-run.jar
WORKER_JAR=$ROOT/worker-service/target/quarkus-app/quarkus-run.jar
BENCH_CP="$ROOT/benchmark/target/aurum-offload-benchmark-0.1.0-SNAPSHOT.jar:$ROOT/benchmark/target/lib/*"
# The driver is a light client beside the services on the same cores: serial GC, netty without Unsafe.
BENCH_JAVA=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -Dio.netty.noUnsafe=true -cp "$BENCH_CP"
  io.aurum.offload.benchmark.Bench)

# ---------------------------------------------------------------- run folders and cleanup (by pid only)
STAMP=$(date -u +%Y%m%d-%H%M%S)
RESULTS=$ROOT/bench/results
LOGS=$ROOT/bench/logs/$STAMP
TMP=$(mktemp -d /tmp/aurum-bench.XXXXXX)
PIDS=$TMP/pids
mkdir -p "$RESULTS" "$LOGS" "$PIDS"
REDIS_PORT=""
REDIS_PIDFILE=$TMP/redis.pid

stop_pid() {  # $1 pid: SIGTERM, up to 40 s, then SIGKILL
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
}
CHILD=""
run_bounded() {  # $1 $2 stdout and stderr fds, then a command: run under timeout, waited for in the background
  # so that a signal to this script stops it at once (redirections stay on the command, not on this function,
  # so that the cleanup's notes still reach our own stderr)
  local rc=0 out=$1 err=$2
  shift 2
  timeout -k 60 "$BENCH_TIMEOUT_S" "$@" >&"$out" 2>&"$err" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}
cleanup() {
  local f pid
  trap - EXIT INT TERM
  if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
    # timeout passes the signal on to the whole process group it leads: the harness, its drivers, our driver.
    note "stopping the benchmark (pid $CHILD)"
    kill -TERM "$CHILD" 2>/dev/null || true
    for _ in $(seq 1 350); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.2; done
  fi
  for f in "$PIDS"/*.pid; do  # services the driver left running (it stops them itself unless it was killed)
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if grep -q quarkus-run.jar "/proc/$pid/cmdline" 2>/dev/null; then
      note "cleanup: stopping pid $pid ($(basename "$f"))"
      stop_pid "$pid"
    fi
  done
  if [ -f "$REDIS_PIDFILE" ]; then
    pid=$(cat "$REDIS_PIDFILE")
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null && stop_pid "$pid"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {  # a loopback port nothing listens on
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  note "no free loopback port found"; return 1
}

export RUNS=${RUNS:-1}
export PEERS=${PEERS:-"redis fastapi celery sidekiq bullmq rq_simple aurum"}
export BENCH_N=${BENCH_N:-50000}
export BENCH_LAT_N=${BENCH_LAT_N:-500}
export BENCH_API_JAR=$API_JAR BENCH_WORKER_JAR=$WORKER_JAR BENCH_PID_DIR=$PIDS
BENCH_TIMEOUT_S=${BENCH_TIMEOUT_S:-3600}
PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/peers}
OUT=$RESULTS/$STAMP.txt

if [ -x "$PEERS_DIR/run_all.sh" ]; then
  # ---------------------------------------------------------------- with the peers, in their harness
  export BENCH_COMMAND="scripts/bench.sh (RUNS=$RUNS PEERS=\"$PEERS\" BENCH_N=$BENCH_N BENCH_LAT_N=$BENCH_LAT_N)"
  mkdir -p "$TMP/peers"
  cp -r "$PEERS_DIR/." "$TMP/peers/"
  chmod -R u+w "$TMP/peers"
  rm -rf "$TMP/peers/results" "$TMP/peers/run"
  mkdir -p "$TMP/peers/aurum"
  {
    echo '#!/usr/bin/env bash'
    echo '# Aurum Offload in the peers harness, written by scripts/bench.sh: the Java driver of the benchmark module.'
    printf 'exec'; printf ' %q' "${BENCH_JAVA[@]}"; printf ' drive\n'
  } >"$TMP/peers/aurum/drive.sh"
  chmod +x "$TMP/peers/aurum/drive.sh"
  REDIS_PORT=$(free_port)
  note "peers from $PEERS_DIR (copied to $TMP/peers), redis on 127.0.0.1:$REDIS_PORT, peers: $PEERS, runs: $RUNS"
  rc=0
  BENCH_REDIS_PORT=$REDIS_PORT BENCH_HTTP_PORT=$(free_port) PEERS_COPY=1 run_bounded 1 2 "$TMP/peers/run_all.sh" || rc=$?
  [ "$rc" = 0 ] || note "the peers harness exited with $rc"
  harness_out=$(ls -t "$TMP/peers/results"/run-*.txt 2>/dev/null | head -1 || true)
  [ -n "$harness_out" ] || { note "the harness wrote no results"; exit 1; }
  cp "$harness_out" "$OUT"
  cp -r "$TMP/peers/results/logs/"*/. "$LOGS/" 2>/dev/null || true  # the harness's one stamp folder
  cp "${harness_out%.txt}.md" "$LOGS/harness-summary.md" 2>/dev/null || true
else
  # ---------------------------------------------------------------- ours alone, on our own redis-server
  export BENCH_COMMAND="scripts/bench.sh (peers skipped: no $PEERS_DIR; BENCH_N=$BENCH_N BENCH_LAT_N=$BENCH_LAT_N)"
  note "no peers harness at $PEERS_DIR: peers skipped, measuring Aurum Offload alone"
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$REDIS_PIDFILE" --logfile "$LOGS/redis.log"
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  {
    echo "# started $(date -u +%FT%TZ) host=$(hostname) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# standalone: peers skipped (no harness at $PEERS_DIR)"
    echo "# redis-server 127.0.0.1:$REDIS_PORT --save \"\" --appendonly no"
    echo "# N=$BENCH_N lat_n=$BENCH_LAT_N"
  } | tee "$OUT" >&2
  rc=0
  exec {lines}> >(tee -a "$OUT") {errors}>"$LOGS/aurum.stderr"
  tee_pid=$!
  BENCH_REDIS_PORT=$REDIS_PORT BENCH_LOG_DIR=$LOGS run_bounded "$lines" "$errors" "${BENCH_JAVA[@]}" drive || rc=$?
  exec {lines}>&- {errors}>&-
  wait "$tee_pid" 2>/dev/null || true
  [ "$rc" = 0 ] || note "the driver exited with $rc (see $LOGS/aurum.stderr)"
  echo "# finished $(date -u +%FT%TZ)" >>"$OUT"
fi

if [ "$rc" = 0 ] && [[ " $PEERS " == *" aurum "* || ! -x "$PEERS_DIR/run_all.sh" ]] &&
    ! grep -q '^peer=aurum metric=drain_jobs_per_s ' "$OUT"; then
  note "our driver printed no drain figure: see the logs in $LOGS"
  rc=1
fi

# ---------------------------------------------------------------- report
"${BENCH_JAVA[@]}" report "$OUT" "$RESULTS" "$STAMP"
note "results: $RESULTS/$STAMP.md (and latest.md, latest.png); logs: $LOGS"
exit "$rc"
