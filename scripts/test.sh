#!/usr/bin/env bash
# The test command: installs what it needs, builds in release mode (the numeric parity tests run
# real model sizes; debug builds are far too slow for them), fails on a compiler warning in our own
# Sources/ or Tests/, then runs every test. Arguments (e.g. `--filter UNetTests`) run one
# `swift test` with them instead of the groups below.
#
# The tests run as separate processes, so each group's models are freed when it ends and the peak
# memory stays that of the largest group (one process of everything peaked at 17 GB):
#   1. everything but ModelsTests and NodesTests (no model loads but the fixture generator's);
#   2. ModelsTests (one loaded fixture checkpoint, shared by its tests), and apart from them the
#      T5-XXL encoder tests (a 4.9 GB fp8 file mapped);
#   3. NodesTests' end-to-end workflows (one runner, one workflow at a time, as one ComfyUI server);
#   4. the other NodesTests (one checkpoint loaded through CheckpointLoaderSimple, shared);
#   5. the kernel-sensitive suites again with the TensorKernels level forced to avx2, then to
#      generic (SWIFTCOMFY_ISA, with OpenBLAS on its AVX2 kernels), so a machine with AVX-512
#      also tests the paths of one without, and the reverse for what it has.
# At the end it prints each group's peak resident memory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release -Xswiftc -enable-testing --build-tests 2>&1 | tee "$work/build.log"
# A warning of ours: its own line names a file under Sources/ or Tests/ (dependencies live under
# .build/checkouts), or it comes from a macro expansion whose next lines point at one of ours.
ours=$(awk -v root="$root" '
  / warning: / && $0 !~ /^[ |`]/ {
    if (index($0, root "/Sources/") == 1 || index($0, root "/Tests/") == 1 || $0 ~ /^(Sources|Tests)\//) { print; next }
    if ($0 ~ /^macro expansion/) { pending = $0; look = 3; next }
  }
  look > 0 { look--; if (index($0, root "/Sources/") || index($0, root "/Tests/")) { print pending; look = 0 } }
' "$work/build.log")
if [ -n "$ours" ]; then
  echo "error: the build warns in SwiftComfy's own code (scripts/test.sh fails on any):" >&2
  echo "$ours" >&2
  exit 1
fi

peaks=()
# run LABEL [VAR=value ...] -- swift-test arguments: one `swift test` process, its peak RSS recorded.
run() {
  local label=$1; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local timer=()
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$work/rss")
  echo "== $label"
  env "${envs[@]}" "${timer[@]}" swift test -c release -Xswiftc -enable-testing --skip-build "$@"
  if [ -s "$work/rss" ]; then
    peaks+=("$(awk -v l="$label" '{ printf "%-34s %6.2f GB\n", l, $1 / 1048576 }' "$work/rss")")
  fi
}

if [ $# -gt 0 ]; then
  run "swift test $*" -- "$@"
else
  run "other suites" -- --skip "^(ModelsTests|NodesTests)\."
  run "ModelsTests" -- --filter "^ModelsTests\." --skip "^ModelsTests\.T5EncoderReferenceTests/"
  run "ModelsTests (T5-XXL encoder)" -- --filter "^ModelsTests\.T5EncoderReferenceTests/"
  run "NodesTests (end-to-end)" -- --filter "^NodesTests\.EndToEndTests/"
  run "NodesTests (the others)" -- --filter "^NodesTests\." --skip "^NodesTests\.EndToEndTests/"
  kernels="^(TensorCoreTests\.|ModelsTests\.(CLIPTextEncoderTests|UNetTests|VAETests)/)"
  run "kernels, SWIFTCOMFY_ISA=avx2" SWIFTCOMFY_ISA=avx2 OPENBLAS_CORETYPE=Haswell -- --filter "$kernels"
  run "kernels, SWIFTCOMFY_ISA=generic" SWIFTCOMFY_ISA=generic OPENBLAS_CORETYPE=Haswell -- --filter "$kernels"
fi

if [ ${#peaks[@]} -gt 0 ]; then
  echo "Peak resident memory per test process (/usr/bin/time, Maximum resident set size):"
  printf '  %s\n' "${peaks[@]}"
else
  echo "Peak resident memory: not measured (/usr/bin/time missing; apt-get install time)"
fi
