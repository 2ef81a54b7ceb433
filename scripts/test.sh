#!/usr/bin/env bash
# Runs every test: unit and @QuarkusTest suites of each module, then the end-to-end tests that start the
# packaged api and worker as processes. Tests start their own redis-server on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh

if ! command -v redis-server >/dev/null; then
  echo "redis-server is missing: the tests start their own. Install it (Debian: apt-get install redis-server)." >&2
  exit 1
fi

exec ./mvnw -B verify "$@"
