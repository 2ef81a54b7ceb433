# Sourced by the other scripts: points JAVA_HOME at a JDK 21 or newer (we compile for Java 21).
# Keeps JAVA_HOME when it already is one; otherwise takes the newest JDK found under /usr/lib/jvm.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/*/; do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && { [ -z "$JAVA_HOME" ] || [ "$major" -gt "$(java_major "$JAVA_HOME")" ]; }; then
      JAVA_HOME=$candidate
    fi
  done
fi
if [ -z "$JAVA_HOME" ]; then
  echo "No JDK 21 or newer found: install one (e.g. Temurin 21) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
