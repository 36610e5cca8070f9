#!/usr/bin/env bash
# Configures and builds azsim into a build directory (default: build/), after tools/setup.sh.
#   tools/build.sh [--sanitize] [--dir DIR] [--werror] [--target T]...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/build"; sanitize=OFF; werror=OFF; targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) sanitize=ON; dir="$root/build-sanitize" ;;
    --dir) dir="$2"; shift ;;
    --werror) werror=ON ;;
    --target) targets+=(--target "$2"); shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
"$root/tools/setup.sh"
build_type=Release; mpi=ON; bench=ON
# The sanitizer build leaves MPI out (OpenMPI's own allocations would show up as leaks) and the
# benchmarks (they time the Release build; the sanitizer build runs the tests).
[ "$sanitize" = ON ] && { build_type=Debug; mpi=OFF; bench=OFF; }
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DAZSIM_SANITIZE="$sanitize" -DAZSIM_WERROR="$werror" -DAZSIM_MPI="$mpi" -DAZSIM_BENCH="$bench" >/dev/null
cmake --build "$dir" "${targets[@]}" -- -j"$(nproc)"
