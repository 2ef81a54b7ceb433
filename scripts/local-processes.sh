# Sourced by start.sh and run-chart-settings.sh: the checks and the stop order of the processes they start.

# refuse_taken_port PORT VARIABLE WHAT
# Fails, naming the port and the variable that moves it, when something already accepts connections on
# 127.0.0.1:PORT. Our service could not listen there, and whatever answers would be taken for it: a readiness
# check would then pass against a foreign api while ours never served.
# Known limitation: a process that takes the port between this check and our service's start is not caught
# here; the readiness loops then catch our service exiting (await_services).
refuse_taken_port() {
  local port=$1 variable=$2 what=$3
  if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
    echo "Port $port on 127.0.0.1 is already taken by another process, so $what cannot listen there." \
      "Stop that process or choose a free port with $variable." >&2
    return 1
  fi
}

# alive_or_fail LOG NAME=PID...
# Fails with a message when one of the processes has exited: a readiness check must not wait on, or be answered
# in place of, a service of ours that is gone.
alive_or_fail() {
  local log=$1 entry
  shift
  for entry in "$@"; do
    if ! kill -0 "${entry#*=}" 2>/dev/null; then
      echo "Our ${entry%%=*} (pid ${entry#*=}) exited while starting (see $log)." >&2
      return 1
    fi
  done
}

# seconds_of DURATION DEFAULT
# Whole seconds (rounded up) of a Quarkus duration written as "25", "25s", "500ms", "2m" or "1h"; DEFAULT for
# anything else.
# Known limitation: ISO-8601 forms such as "PT25S" are not read; they give DEFAULT.
seconds_of() {
  local text=${1,,} fallback=$2
  case $text in
    ''|*[!0-9a-z]*) echo "$fallback" ;;
    *ms) [[ ${text%ms} =~ ^[0-9]+$ ]] && echo $(( (10#${text%ms} + 999) / 1000 )) || echo "$fallback" ;;
    *s) [[ ${text%s} =~ ^[0-9]+$ ]] && echo $(( 10#${text%s} )) || echo "$fallback" ;;
    *m) [[ ${text%m} =~ ^[0-9]+$ ]] && echo $(( 10#${text%m} * 60 )) || echo "$fallback" ;;
    *h) [[ ${text%h} =~ ^[0-9]+$ ]] && echo $(( 10#${text%h} * 3600 )) || echo "$fallback" ;;
    *) [[ $text =~ ^[0-9]+$ ]] && echo $(( 10#$text )) || echo "$fallback" ;;
  esac
}

# stop_and_wait SECONDS PID...
# Sends TERM to the processes, waits up to SECONDS for all of them to exit, then KILLs the rest. Callers stop the
# api and the worker this way before Redis: a draining worker puts its unfinished tasks back into Redis.
stop_and_wait() {
  local limit=$1 pid
  shift
  local checks=$((limit * 5)) alive=("$@")
  [ $# -gt 0 ] || return 0
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  while [ ${#alive[@]} -gt 0 ]; do
    local still=()
    for pid in "${alive[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then still+=("$pid"); fi
    done
    alive=("${still[@]}")
    [ ${#alive[@]} -gt 0 ] || break
    if [ "$checks" -le 0 ]; then
      echo "Process(es) ${alive[*]} still running ${limit}s after TERM; killing them." >&2
      for pid in "${alive[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
      break
    fi
    checks=$((checks - 1))
    sleep 0.2
  done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}
