# shellcheck shell=bash
# Sourced by polyrun's scripts: picks a JDK of release 21 or newer and exports
# JAVA_HOME, so the Maven wrapper and the launchers use it. An explicit
# JAVA_HOME of 21+ wins; otherwise the JVMs under /usr/lib/jvm are searched.
polyrun_java_release() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

polyrun_find_java() {
  local candidate release best="" best_release=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    release=$(polyrun_java_release "$JAVA_HOME")
    if [ "${release:-0}" -ge 21 ]; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /usr/local/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    release=$(polyrun_java_release "$candidate")
    if [ "${release:-0}" -ge 21 ] && [ "$release" -gt "$best_release" ]; then
      best=$candidate best_release=$release
    fi
  done
  if [ -z "$best" ]; then
    echo "polyrun: no JDK of release 21 or newer found (set JAVA_HOME, or install openjdk-21-jdk-headless or newer)" >&2
    return 1
  fi
  export JAVA_HOME=$best
}

# JVM flags for polyrun's processes on the chosen JDK: protobuf and Netty use
# sun.misc.Unsafe, which JDK 23+ warns about on stderr unless allowed.
polyrun_jvm_flags() {
  local release
  release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null)
  if [ "${release:-0}" -ge 23 ]; then
    echo "--sun-misc-unsafe-memory-access=allow"
  fi
}
