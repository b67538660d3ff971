#!/usr/bin/env bash
# Installs the system libraries SwiftComfy links (Debian/Ubuntu): OpenBLAS, libpng, zlib, pkg-config;
# and GNU time, with which scripts/test.sh reports the tests' peak memory.
set -euo pipefail
need=()
for p in libopenblas-dev libpng-dev zlib1g-dev pkg-config time; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
