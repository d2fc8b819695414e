#!/usr/bin/env python3
"""Writes a pretrained instrument's model card (README.md in its folder) from the files beside it.

    model_card.py INSTRUMENT_DIR TRAIN_AUDIO_DIR HELDOUT_AUDIO_DIR "RECIPE"

Reads config.json, state.json, stats.json and heldout.json (./ddsp eval on the held-out renders); measures the
training and held-out audio (WAV headers). Standard library only.
"""
import datetime
import json
import os
import sys
import wave


def minutes(folder):
    total = 0.0
    for name in sorted(os.listdir(folder)):
        if name.endswith(".wav"):
            with wave.open(os.path.join(folder, name)) as w:
                total += w.getnframes() / w.getframerate()
    return total / 60


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def main():
    out, train_dir, heldout_dir, recipe = sys.argv[1:5]
    name = os.path.basename(os.path.normpath(out))
    cfg = json.load(open(os.path.join(out, "config.json")))
    state = json.load(open(os.path.join(out, "state.json")))
    stats = json.load(open(os.path.join(out, "stats.json")))
    held = json.load(open(os.path.join(out, "heldout.json")))
    pooled = held["pooled_frames"]
    weights = os.path.join(out, state["weights"])
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    pitch = stats["pitch_midi"]
    q = dict(zip(pitch["quantiles_percent"], pitch["quantiles"]))
    lines = [
        f"# {name}: a pretrained ddsp4j instrument",
        "",
        f"Play it with `--model {name}` in any command, e.g. `./ddsp transfer --model {name} my_voice.wav --output out.wav`.",
        "",
        "| | |",
        "|---|---|",
        f"| data | {minutes(train_dir):.1f} minutes of monophonic {name.replace('_', ' ')} melodies (scales, legato phrases with and "
        "without vibrato, long tones) rendered from the FluidR3 GM soundfont (`../shared/data/render.sh`, preset `long`), dry, 16 kHz |",
        "| licence | the soundfont: MIT (FluidR3_GM, Debian `fluid-soundfont-gm`); these weights: the project's licence |",
        f"| configuration | `{cfg['name']}` from `tiny`: GRU {cfg['decoder']['gru_units']}, {cfg['harmonic']['n_harmonics']} harmonics, "
        f"{cfg['noise']['n_bands']} noise bands, {cfg['reverb']['type']} reverb of {cfg['reverb']['taps']} taps, "
        f"{cfg['audio']['sample_rate']} Hz, {cfg['audio']['frame_rate']} frames/s (config.json) |",
        f"| training | {int(state['step'])} steps in {state['seconds'] / 60:.1f} minutes on 2 CPU cores; recipe `{recipe}` |",
        f"| weights | {os.path.basename(weights)}, half precision; {size / 1e6:.1f} MB with everything in this folder |",
        f"| pitch range | MIDI {q.get(5, pitch['min']):.0f} to {q.get(95, pitch['max']):.0f} (5th to 95th percentile; mean "
        f"{pitch['mean']:.1f}); `transfer` moves a source by whole octaves toward it |",
        f"| held-out data | {minutes(heldout_dir):.1f} minutes of MuseScore General renders of the same instrument (a different "
        "sample set the model never heard; `SOUNDFONTS=musescore`, preset `full`) |",
        "",
        "Held-out resynthesis (`./ddsp eval`, magenta/ddsp's metrics: each clip's f0 and loudness drive the model, "
        "the output's are re-extracted and compared; heldout.json has every clip):",
        "",
        "| clips | loudness L1 | f0 L1 | f0 outlier clips | within 50 cents (RPA) | spectral loss |",
        "|---|---|---|---|---|---|",
        f"| {held['examples']} | {fmt(held['loudness_l1_db'], '.2f')} dB | {fmt(held['f0_l1_semitones'], '.3f')} st | "
        f"{fmt(held['f0_outlier_ratio'] * 100 if held['f0_outlier_ratio'] is not None else None, '.1f')} % | "
        f"{fmt(held['raw_pitch_accuracy'] * 100 if held['raw_pitch_accuracy'] is not None else None, '.1f')} % | "
        f"{fmt(held['spectral_loss'], '.3f')} |",
        "",
        "The same clips frame by frame (pooled over all confident frames, outliers included; an outlier frame is "
        "unvoiced in the output or more than 12 semitones off):",
        "",
        "| confident frames | f0 L1 | outlier frames | loudness L1 on voiced frames |",
        "|---|---|---|---|",
        f"| {pooled['confident_frames']} | {fmt(pooled['f0_l1_semitones'], '.3f')} st | "
        f"{fmt(pooled['f0_outlier_frame_ratio'] * 100 if pooled['f0_outlier_frame_ratio'] is not None else None, '.2f')} % | "
        f"{fmt(pooled['loudness_l1_voiced_db'], '.2f')} dB |",
        "",
        f"Regenerate: `INSTRUMENTS={name} bash scripts/train-instruments.sh` (card written {datetime.date.today().isoformat()}).",
        "",
    ]
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
