#!/usr/bin/env bash
# Installs what the tests need beyond Node 20 and Go on Debian: nats-server, and for the local
# cluster openssl, curl and envsubst (Debian's packages nats-server, openssl, curl, gettext-base).
# Works as root and as a normal user with sudo. Does nothing when all of them are there.
set -euo pipefail
packages=()
if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  packages+=(nats-server)
fi
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
command -v curl >/dev/null 2>&1 || packages+=(curl)
command -v envsubst >/dev/null 2>&1 || packages+=(gettext-base)
if [ "${#packages[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-debian-deps: ${packages[*]} missing; run as root: apt-get install ${packages[*]}" >&2
  exit 2
fi
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
