#!/usr/bin/env bash
# Live playing's block times (docs/results/realtime.md): the model alone and the whole live engine per block
# (./ddsp bench, one thread), then ./ddsp live from a file as fast as possible and paced at real time, for tiny
# (the pretrained violin), solo and pytorch-default (one training step: the weights do not change the cost).
# Run it on a quiet machine: it waits for a 1-minute load average under 0.5.
#
#   bash scripts/bench-live.sh         (INPUT=a recording; default the shared FluidR3 violin phrase)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DDSP="$ROOT/ddsp"
WORK="${WORK:-/tmp/ddsp4j-bench-live}"
INPUT="${INPUT:-${DDSP4J_DATA:-/tmp/ddsp4j-ci-data}/fluidr3/violin/phrase_vib0_s1.wav}"
mkdir -p "$WORK"
"$DDSP" --help >/dev/null   # builds first, if needed
for cfg in solo pytorch-default; do
  [ -f "$WORK/$cfg/state.json" ] || "$DDSP" train --data "$(dirname "$INPUT")" --model "$WORK/$cfg" --config "$cfg" --steps 1 >/dev/null
done
for i in $(seq 1 90); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  awk -v l="$load" 'BEGIN { exit !(l < 0.5) }' && break
  sleep 10
done
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(lscpu | grep -m1 'Model name' | sed 's/  */ /g'); cpu family $(lscpu | awk -F: '/CPU family/ {gsub(/ /,"",$2); print $2}'); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$DDSP" bench stream_tiny_block stream_solo_block stream_pytorch_default_block live_tiny_block live_solo_block \
    live_pytorch_default_block --threads 1 --warmup 10 --runs 20
for m in violin:64 "$WORK/solo":64 "$WORK/pytorch-default":160; do
  model="${m%:*}" block="${m##*:}"
  echo "== $model, blocks of $block samples"
  "$DDSP" live --model "$model" --input-file "$INPUT" --output-file "$WORK/out.wav" --buffer "$block" | tail -2
  "$DDSP" live --model "$model" --input-file "$INPUT" --output-file "$WORK/out.wav" --buffer "$block" --realtime | tail -2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
