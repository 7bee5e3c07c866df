# Finds a JDK >= 21 and exports JAVA_HOME; sourced by ./arbiter and ./run-tests.
# Order: $JAVA_HOME, then every JDK under /usr/lib/jvm (newest first), then `java` on the PATH.

arbiter_java_major() { # $1 = path of a java binary; prints its feature version
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

arbiter_find_jdk() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(arbiter_java_major "$c/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      # JDK 23+ warns when Maven's or a library's code uses sun.misc.Unsafe; older JDKs lack the flag
      if [ "$v" -ge 23 ]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      fi
      return 0
    fi
  done
  echo "arbiter: no JDK 21 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/* and the PATH)." >&2
  echo "arbiter: install one (e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+) or set JAVA_HOME." >&2
  return 1
}
