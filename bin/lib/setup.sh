# shellcheck shell=bash
# Sourced by bin/quickstart and bin/test: installs what polyrun needs on a
# Debian host, builds the Java modules and the language images. Every step is
# skipped when its result is already there.

polyrun_root() {
  cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd
}

polyrun_say() { printf '==> %s\n' "$*" >&2; }

polyrun_require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "polyrun: this needs root (containers, cgroups and mounts); run it with sudo" >&2
    exit 1
  fi
}

# apt packages the worker and the local cluster use.
polyrun_install_packages() {
  local missing=() cmd pkg
  for pair in runc:runc redis-server:redis-server mmdebstrap:mmdebstrap python3:python3 openssl:openssl \
              curl:curl mount:mount; do
    cmd=${pair%%:*} pkg=${pair##*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  # polyrun's stage launcher (sandbox/src/main/c) is compiled by the build: a C compiler and libseccomp
  command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
  [ -e /usr/include/seccomp.h ] || missing+=(libseccomp-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    polyrun_say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
  polyrun_install_promtool
}

# promtool (Debian's prometheus package) tests the alert rules in monitoring/.
# The package would start a Prometheus server on every interface: a temporary
# policy-rc.d keeps its service from starting, and it stays disabled.
polyrun_install_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  polyrun_say "installing prometheus (for promtool; its service is left stopped)"
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' > "$guard" && chmod +x "$guard"
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends prometheus >/dev/null
  [ -n "$guard" ] && rm -f "$guard"
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
}

# What only the tests need: node and npm for the Node gRPC client of the e2e
# interop test (its npm packages install into e2e/target/node).
polyrun_install_test_packages() {
  local missing=()
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    polyrun_say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# apt packages the fleet tooling and its tests use (ansible/test/run, bin/fleet):
# Ansible 7 with the community collections (chroot connection), Packer,
# systemd-analyze, redis-cli.
polyrun_install_fleet_tools() {
  local missing=() cmd pkg
  for pair in ansible-playbook:ansible packer:packer systemd-analyze:systemd redis-cli:redis-tools \
              mmdebstrap:mmdebstrap; do
    cmd=${pair%%:*} pkg=${pair##*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    polyrun_say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Builds every module (tests skipped) so the launchers find their jars.
polyrun_build() {
  local root; root=$(polyrun_root)
  polyrun_say "building the Java modules"
  (cd "$root" && ./mvnw -B -q -DskipTests -DskipITs install) 2>&1 |
    grep -vE '^WARNING: |^\s*$' || true
  if [ ! -f "$root/client/target/polyrun-client.jar" ] || [ ! -d "$root/client/target/lib" ]; then
    echo "polyrun: build failed" >&2
    exit 1
  fi
}

# Builds the language images (cached by definition hash).
polyrun_build_images() {
  local root; root=$(polyrun_root)
  polyrun_say "building language images in ${POLYRUN_IMAGE_DIR:-/var/lib/polyrun/images} (cached after the first time)"
  "$root/images/build" "$@"
}
