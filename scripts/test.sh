#!/usr/bin/env bash
# Runs every test: unit and @QuarkusTest suites of each module; each service's native sources-only build and its
# NativeReadinessIT (see README, Native images); then the end-to-end tests, which start the packaged api (through
# @QuarkusIntegrationTest in api-service, or by themselves in e2e-tests) and workers as processes. Tests start their
# own redis-server on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh

if ! command -v redis-server >/dev/null; then
  echo "redis-server is missing: the tests start their own. Install it (Debian: apt-get install redis-server)." >&2
  exit 1
fi

exec ./mvnw -B verify "$@"
