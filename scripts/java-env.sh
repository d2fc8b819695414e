#!/usr/bin/env bash
# Sourced by ./ddsp and .ci/run: finds a JDK >= 25 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is >= 25, then the usual install locations.
ddsp4j_java_major() {  # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1
}
ddsp4j_find_jdk() {
  local cand
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[5-9]-jdk* \
              /usr/lib/jvm/java-2[5-9]-openjdk* /usr/lib/jvm/jdk-2[5-9]* /opt/java/openjdk \
              /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    local major; major=$(ddsp4j_java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then echo "$cand"; return 0; fi
  done
  return 1
}
if ! DDSP4J_JDK=$(ddsp4j_find_jdk); then
  echo "ddsp4j needs a JDK 25 or newer (with javac), and none was found." >&2
  echo "  Checked \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*." >&2
  echo "  Install one, e.g. on Debian/Ubuntu: Eclipse Temurin 25 (apt package temurin-25-jdk from" >&2
  echo "  the Adoptium repository), or set JAVA_HOME to a JDK 25 installation." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$DDSP4J_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
