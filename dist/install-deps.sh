#!/usr/bin/env bash
# Installs every Debian package that keptn-host needs to build, test and run its demo.
# Idempotent and non-interactive: safe to run on a fresh Debian 12 machine or again later.
set -euo pipefail

packages=(
  build-essential cmake git pkg-config clang-format
  libboost-dev libboost-filesystem-dev
  libpoco-dev
  libnats-dev nats-server
  libyaml-cpp-dev nlohmann-json3-dev libvalijson-dev libcli11-dev
  libgit2-dev libarchive-dev
  libgtest-dev libgmock-dev
  prometheus
  python3 openssl
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: every package is already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
