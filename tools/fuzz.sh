#!/usr/bin/env bash
# Fuzzes the scenario loader with libFuzzer (clang, AddressSanitizer + UndefinedBehaviorSanitizer)
# for a bounded time. Builds in build-fuzz/, keeps the growing corpus in build-fuzz/corpus and
# seeds it with every file under scenarios/. Crashes are written to build-fuzz/crash-*.
#   tools/fuzz.sh [SECONDS] [libFuzzer options...]     (default 60 seconds)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
dir="$root/build-fuzz"
cxx=$(command -v clang++-14 || command -v clang++ || true)
if [ -z "$cxx" ]; then
  echo "fuzz.sh: clang++ is needed (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
# Everything is instrumented for coverage and sanitizers; only the fuzz target links libFuzzer.
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
  -DAZSIM_FUZZ=ON -DAZSIM_TESTS=OFF -DAZSIM_BENCH=OFF -DAZSIM_WERROR=OFF >/dev/null
cmake --build "$dir" --target fuzz_scenario -- -j"$(nproc)"

mkdir -p "$dir/corpus" "$dir/seeds"
# Seeds: the shipped scenarios, manifests and eksctl configs, flattened into one folder.
find "$root/scenarios" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | while read -r f; do
  cp "$f" "$dir/seeds/$(echo "${f#"$root/scenarios/"}" | tr '/' '_')"
done

cd "$dir"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec ./fuzz_scenario -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -dict="$root/tools/fuzz/scenario.dict" -print_final_stats=1 "$@" corpus seeds
