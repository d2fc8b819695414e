#!/usr/bin/env python3
"""Highest harmonic frequency present in a recording's spectrum.

    python3 scripts/highest_harmonic.py AUDIO.wav FEATURES.csv [--rise-db 20] [--nfft 4096]

FEATURES.csv is `./ddsp features` of the same recording (time,f0_hz,f0_confidence,voiced,loudness_db): it says
where the harmonics k * f0 must be. For each Hann frame (nfft samples, hop nfft/4) whose frames are all voiced
with a steady f0 (within 0.5 % of their median, so vibrato does not smear the high partials), a harmonic k counts
as present when the spectrum's highest bin within +-max(2 bins, 0.3 % of k f0) of k * f0 stands at least rise-db
above the local noise floor: the median of the bins between the neighbouring harmonics (from (k - 1/2) f0 to
(k + 1/2) f0, the peak's own +-3 bins left out). Prints, over those frames, the highest present harmonic's
frequency: the maximum, the 90th percentile and the median, and the frame count; with --json, one JSON object.
"""
import argparse
import json
import sys
import wave

import numpy as np


def read_wav(path):
    with wave.open(path, "rb") as w:
        sr, ch, width, n = w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()
        if width != 2:
            sys.exit(f"{path}: {8 * width}-bit samples; this reads 16-bit PCM (what ./ddsp writes)")
        x = np.frombuffer(w.readframes(n), dtype="<i2").astype(np.float64) / 32768.0
    return x.reshape(-1, ch).mean(axis=1), sr


def read_features(path):
    t, f0, voiced = [], [], []
    with open(path) as f:
        header = f.readline().strip().split(",")
        it, i0, iv = header.index("time"), header.index("f0_hz"), header.index("voiced")
        for line in f:
            c = line.strip().split(",")
            t.append(float(c[it]))
            f0.append(float(c[i0]))
            voiced.append(c[iv] in ("1", "true"))
    return np.array(t), np.array(f0), np.array(voiced)


def highest_per_frame(x, sr, t, f0, voiced, nfft, rise_db):
    hop = nfft // 4
    win = np.hanning(nfft + 1)[:-1]
    nyquist = sr / 2
    bin_hz = sr / nfft
    out = []
    for start in range(0, len(x) - nfft, hop):
        t0, t1 = start / sr, (start + nfft) / sr
        sel = (t >= t0) & (t < t1)
        if sel.sum() < 3 or not voiced[sel].all():
            continue
        f = np.median(f0[sel])
        if not (f > 0) or np.max(np.abs(f0[sel] / f - 1)) > 0.005:
            continue
        spec = 20 * np.log10(np.abs(np.fft.rfft(win * x[start:start + nfft])) + 1e-12)
        best = 0.0
        k = 1
        while (k + 0.5) * f < nyquist:
            centre = k * f
            tol = max(2 * bin_hz, 0.003 * centre)
            lo, hi = int(np.floor((centre - tol) / bin_hz)), int(np.ceil((centre + tol) / bin_hz))
            peak_bin = lo + int(np.argmax(spec[lo:hi + 1]))
            a, b = int(np.ceil((k - 0.5) * f / bin_hz)), int(np.floor((k + 0.5) * f / bin_hz))
            floor_bins = np.r_[spec[a:max(a, peak_bin - 3)], spec[min(b, peak_bin + 4):b + 1]]
            if len(floor_bins) >= 4 and spec[peak_bin] - np.median(floor_bins) >= rise_db:
                best = peak_bin * bin_hz
            k += 1
        out.append(best)
    return np.array(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("audio")
    p.add_argument("features")
    p.add_argument("--rise-db", type=float, default=20.0)
    p.add_argument("--nfft", type=int, default=4096)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    x, sr = read_wav(a.audio)
    t, f0, voiced = read_features(a.features)
    h = highest_per_frame(x, sr, t, f0, voiced, a.nfft, a.rise_db)
    if len(h) == 0:
        sys.exit("no steady voiced frame of nfft samples: nothing to measure")
    r = {"audio": a.audio, "sample_rate": sr, "frames": int(len(h)), "rise_db": a.rise_db, "nfft": a.nfft,
         "highest_hz_max": round(float(h.max()), 1), "highest_hz_p90": round(float(np.percentile(h, 90)), 1),
         "highest_hz_median": round(float(np.median(h)), 1)}
    if a.json:
        print(json.dumps(r))
    else:
        print(f"{a.audio}: {r['frames']} steady voiced frames at {sr} Hz; highest harmonic >= {a.rise_db:g} dB over the "
              f"local floor: max {r['highest_hz_max']} Hz, 90th percentile {r['highest_hz_p90']} Hz, median {r['highest_hz_median']} Hz")


if __name__ == "__main__":
    main()
