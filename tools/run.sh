#!/usr/bin/env bash
# Builds azsim and runs the main job: the kops Cassandra scenario end to end, with its report.
# Extra arguments go to `azsim run` (e.g. --format json, --at 10m).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/build.sh" --target azsim >&2
"$root/build/azsim" --version
"$root/build/azsim" run "$root/scenarios/seed-001-kops-cassandra.yaml" "$@"
