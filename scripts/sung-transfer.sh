#!/usr/bin/env bash
# Timbre transfer of a sung melody (issue 10's target: >= 95 % of the voiced frames within 50 cents after the
# automatic octave, and between the notes no more than 6 dB above the source): festival sings "Twinkle, twinkle"
# (its singing mode, the kal diphone voice, an octave below the written notes), every pretrained instrument plays it
# (./ddsp transfer, automatic octave and loudness), and both are measured with ./ddsp features: pitch on the
# source's frames with f0 confidence >= 0.85; rests = source frames below -40 dB for 60 ms or more, the source's
# level there shifted by the transfer's loudness shift.
#
#   bash scripts/sung-transfer.sh                   (WORK=/tmp/ddsp4j-sung; needs festival and festvox-kallpc16k)
#   MODELS="violin /path/to/my-model" bash scripts/sung-transfer.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${WORK:-/tmp/ddsp4j-sung}"
MODELS="${MODELS:-violin cello flute trumpet tenor_sax}"
DDSP="${DDSP:-$ROOT/ddsp}"
mkdir -p "$WORK"

song() {   # NOTE BEATS SYLLABLE ... (a syllable "-" is a rest)
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE SINGING PUBLIC "-//SINGING//DTD SINGING mark up//EN" "Singing.v0_1.dtd" []>'
  echo '<SINGING BPM="80">'
  while [ $# -ge 3 ]; do
    if [ "$3" = "-" ]; then echo "<REST BEATS=\"$2\"></REST>"
    else echo "<PITCH NOTE=\"$1\"><DURATION BEATS=\"$2\">$3</DURATION></PITCH>"; fi
    shift 3
  done
  echo '</SINGING>'
}
song G3 1 Twin G3 1 kle x 0.5 - D4 1 twin D4 1 kle x 0.5 - E4 1 lit E4 1 tle D4 2 star x 1 - \
     C4 1 how C4 1 I B3 1 won B3 1 der A3 1 what A3 1 you G3 2 are > "$WORK/song.xml"
text2wave -mode singing "$WORK/song.xml" -o "$WORK/song.wav"
"$DDSP" features "$WORK/song.wav" --output "$WORK/song.csv" > /dev/null

for m in $MODELS; do
  name="$(basename "$m")"
  said="$("$DDSP" transfer --model "$m" "$WORK/song.wav" --output "$WORK/$name.wav")"
  echo "$said"
  "$DDSP" features "$WORK/$name.wav" --output "$WORK/$name.csv" > /dev/null
  # "octave shift +24 semitones, loudness shift -3.6 dB"
  shift_st="$(sed -n 's/.*octave shift \([-+0-9]*\) semitones.*/\1/p' <<< "$said")"
  shift_db="$(sed -n 's/.*loudness shift \([-+0-9.]*\) dB.*/\1/p' <<< "$said")"
  python3 - "$WORK/song.csv" "$WORK/$name.csv" "$name" "$shift_st" "$shift_db" <<'EOF'
import csv, math, statistics, sys
src, out = (list(csv.DictReader(open(p))) for p in sys.argv[1:3])
name, st, ld = sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
n = min(len(src), len(out))
voiced = [i for i in range(n) if float(src[i]["f0_confidence"]) >= 0.85]
within = sum(1 for i in voiced if float(out[i]["f0_hz"]) > 0
             and abs(1200 * math.log2(float(out[i]["f0_hz"]) / (float(src[i]["f0_hz"]) * 2 ** (st / 12)))) <= 50)
rests, run = [], 0
for i in range(n):
    run = run + 1 if float(src[i]["loudness_db"]) < -40 else 0
    if run >= 15:
        rests.append(i)
s = statistics.mean(float(src[i]["loudness_db"]) + ld for i in rests)
o = statistics.mean(float(out[i]["loudness_db"]) for i in rests)
ok = within / len(voiced) >= 0.95 and o - s <= 6
print(f"{name}: pitch within 50 cents on {100 * within / len(voiced):.1f} % of {len(voiced)} voiced frames; rests "
      f"({len(rests)} frames): source {s:.1f} dB (shifted), output {o:.1f} dB ({o - s:+.1f} dB): {'target met' if ok else 'TARGET MISSED'}")
EOF
done
