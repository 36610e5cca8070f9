#!/usr/bin/env bash
# Builds azsim (warnings are errors) and runs the whole test suite with CTest.
#   tools/test.sh [--sanitize]   (--sanitize: AddressSanitizer + UndefinedBehaviorSanitizer build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
args=(--werror); dir="$root/build"
if [ "${1:-}" = "--sanitize" ]; then args+=(--sanitize); dir="$root/build-sanitize"; fi
"$root/tools/build.sh" "${args[@]}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)"
