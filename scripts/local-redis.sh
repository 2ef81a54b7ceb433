# Sourced by start.sh and run-chart-settings.sh, after they start their own redis-server in the background.
#
#   await_own_redis PID PORT LOG
#
# Waits until the redis-server of process PID answers on 127.0.0.1:PORT, and makes sure that the server answering
# is that process (INFO's process_id), not another Redis that already held the port: there, the script's
# redis-server exits at once (address in use) while the other one would answer PING, and the services would
# read and write someone else's data. Fails with a message naming the port otherwise. redis-cli reads the
# password, if any, from REDISCLI_AUTH.
await_own_redis() {
  local pid=$1 port=$2 log=$3 answering=""
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Our redis-server on 127.0.0.1:$port exited at start (see $log): is the port taken by another" \
        "process? Choose a free one with AURUM_LOCAL_REDIS_PORT." >&2
      return 1
    fi
    answering=$(redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')
    if [ "$answering" = "$pid" ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "Our redis-server (pid $pid) does not answer on 127.0.0.1:$port${answering:+; process $answering does}" \
    "(see $log). Choose a free port with AURUM_LOCAL_REDIS_PORT." >&2
  return 1
}
