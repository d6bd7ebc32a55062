#!/usr/bin/env bash
# Installs what the tests need beyond Node 20 and Go on Debian: nats-server (Debian's package).
# Works as root and as a normal user with sudo. Does nothing when nats-server is already there.
set -euo pipefail
if command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-debian-deps: nats-server is missing; run as root: apt-get install nats-server" >&2
  exit 2
fi
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq nats-server >/dev/null
