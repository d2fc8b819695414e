#!/usr/bin/env bash
# Data-parallel training measured on this machine (docs/results/scale.md): the same tiny training run as one
# process on both cores, as 2 Spark workers (local-cluster: two executor processes, one core each) and as 2 workers
# in one JVM (local[2]); then ScaleProjection: solo and nsynth step times per worker batch, the loopback ring
# all-reduce, and the projection to 4-64 workers on 10 Gbit/s. Waits for a quiet machine (load < 0.5) first.
#   scripts/bench-scale.sh [STEPS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEPS="${1:-60}"
OUT=/tmp/ddsp4j-scale
mkdir -p "$OUT"
until awk '{exit !($1 < 0.5)}' /proc/loadavg; do echo "waiting for a quiet machine (load $(cut -d' ' -f1 /proc/loadavg)) ..." >&2; sleep 20; done
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
if [ ! -f "$OUT/data/stats.json" ]; then
  "$ROOT/ddsp" prepare --spark 'local[2]' --input "$ROOT/demo/data/violin" --output "$OUT/data" --eval-fraction 0 >/dev/null
fi
run() {   # label, then ./ddsp train arguments
  local label="$1"; shift
  rm -rf "$OUT/model"
  local line
  line=$("$ROOT/ddsp" train --data "$OUT/data" --model "$OUT/model" --steps "$STEPS" --set train.checkpoint_every=100000 "$@" 2>&1 \
    | grep 'ddsp train: stopped')
  echo "$label: ${line#ddsp train: }"
}
run "1 process, 2 threads      " --threads 2
run "2 Spark executors x 1 core" --spark 'local-cluster[2,1,3072]' --workers 2 --threads 1
run "2 workers in one JVM      " --spark 'local[2]' --workers 2 --threads 1
source "$ROOT/scripts/java-env.sh"
java --add-modules jdk.incubator.vector -cp "$ROOT/cli/target/ddsp4j-cli-0.1.0-SNAPSHOT.jar:$ROOT/cli/target/lib/*" \
  org.ddsp4j.bench.ScaleProjection 2 solo nsynth 2>&1 | grep -v '^WARNING'
