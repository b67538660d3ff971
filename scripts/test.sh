#!/usr/bin/env bash
# The test command: installs what it needs, then runs every test in release mode
# (the numeric parity tests run real model sizes; debug builds are far too slow for them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release -Xswiftc -enable-testing --build-tests
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
