#!/usr/bin/env bash
# Writes deploy/k8s/aurum-offload.yaml again: the Helm chart rendered with deploy/k8s/values.yaml by Helm's own
# engine (helm-java, no helm binary needed). Run it after changing the chart; the deploy module's tests fail
# while the file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh

if [ ! -f deploy/target/classpath.txt ] || [ -n "$(find deploy/src/main -newer deploy/target/classpath.txt -print -quit)" ]; then
  echo "Building the deploy module..."
  ./mvnw -B -q package -DskipTests -pl deploy -am
fi
java --enable-native-access=ALL-UNNAMED -cp "deploy/target/classes:$(cat deploy/target/classpath.txt)" io.aurum.offload.deploy.PlainManifests
