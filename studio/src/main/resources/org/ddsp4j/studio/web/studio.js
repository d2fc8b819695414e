// The studio page: upload or record, render with the sliders, listen, look, train.
'use strict';

const $ = (id) => document.getElementById(id);
const state = {upload: null, uploads: [], instrument: null, rendering: false, again: false, recorder: null, blocks: [], renders: 0};
const marks = document.body.dataset; // read by the browser tests: upload id, render count, busy

function settings() {
  return {
    upload: state.upload, instrument: state.instrument,
    pitch: Number($('pitch').value), loudness: Number($('loudness').value), reverb: Number($('reverb').value),
    auto: $('auto').checked,
  };
}

/** Renders the current upload with the current settings; while one render runs, the latest settings wait for it. */
async function render() {
  if (!state.upload || !state.instrument) return;
  if (state.rendering) { state.again = true; return; }
  state.rendering = true;
  marks.busy = 'render';
  const t0 = performance.now();
  try {
    const r = await ddsp.post('/api/render', settings());
    const ms = performance.now() - t0;
    $('output-audio').src = r.output;
    $('download').href = r.output;
    $('download').hidden = false;
    show($('input-spectrogram'), r.inputSpectrogram);
    show($('output-spectrogram'), r.outputSpectrogram);
    show($('decomposition'), r.decomposition);
    $('render-info').textContent = (r.remixOnly ? 'Re-mixed' : 'Rendered') + ' ' + r.seconds.toFixed(1) + ' s of audio in '
      + ms.toFixed(0) + ' ms (analysis ' + r.analysisMs.toFixed(0) + ' ms, model ' + r.renderMs.toFixed(0)
      + ' ms, writing ' + r.writeMs.toFixed(0) + ' ms). Automatic shifts: ' + signed(r.octaveShift) + ' semitones, '
      + signed(r.loudnessShift, 1) + ' dB.' + (r.hasReverb ? '' : ' This model has no reverb.');
    ddsp.message('');
    state.renders++;
    marks.renders = String(state.renders); // renders done by this page
    marks.render = String(r.render);       // the upload's render number (its file names)
    marks.renderMs = ms.toFixed(0);
    marks.octave = String(r.octaveShift);
  } catch (e) {
    ddsp.message(e.message);
    marks.error = e.message;
  } finally {
    state.rendering = false;
    marks.busy = '';
  }
  if (state.again) { state.again = false; render(); }
}

function signed(x, digits) {
  const s = x.toFixed(digits || 0);
  return x > 0 ? '+' + s : s;
}

function show(img, url) {
  img.onload = () => { img.hidden = false; };
  img.src = url;
}

/** Sends a file's bytes; on success it becomes the current recording and is rendered. */
async function upload(blob, name) {
  marks.busy = 'upload';
  try {
    const r = await ddsp.api('/api/uploads?name=' + encodeURIComponent(name),
      {method: 'POST', headers: {'Content-Type': 'application/octet-stream'}, body: blob});
    state.upload = r.id;
    state.uploads.push(r.id);
    marks.upload = r.id;
    $('input-audio').src = r.input;
    ddsp.message('');
    marks.busy = '';
    await render();
  } catch (e) {
    ddsp.message(e.message);
    marks.error = e.message;
    marks.busy = '';
  }
}

async function startRecording() {
  try {
    state.blocks = [];
    state.recorder = await ddsp.openMicrophone((b) => state.blocks.push(b), null, 1024);
    const rate = state.recorder.context.sampleRate;
    $('record').disabled = true;
    $('stop-record').disabled = false;
    marks.recording = 'on';
    state.timer = setInterval(() => {
      const n = state.blocks.reduce((a, b) => a + b.length, 0);
      $('record-time').textContent = (n / rate).toFixed(1) + ' s';
    }, 100);
  } catch (e) {
    ddsp.message('The microphone could not be opened: ' + e.message);
  }
}

async function stopRecording() {
  const rec = state.recorder;
  if (!rec) return;
  state.recorder = null;
  clearInterval(state.timer);
  const rate = rec.context.sampleRate;
  await rec.close();
  $('record').disabled = false;
  $('stop-record').disabled = true;
  marks.recording = '';
  await upload(ddsp.wav(state.blocks, rate), 'recording.wav');
}

/**
 * A model folder typed in becomes an entry of the instrument list once the studio has loaded it (checked with a
 * render when there is a recording); if it cannot be loaded, the message says why and the choice stays as it was.
 */
async function usePath() {
  const p = $('instrument-path').value.trim();
  if (!p) return;
  const before = state.instrument;
  state.instrument = p;
  if (state.upload) {
    const done = state.renders;
    await render();
    if (state.renders === done) { state.instrument = before; return; } // refused: the message is shown
  }
  let o = Array.from($('instrument').options).find((x) => x.value === p);
  if (!o) {
    o = document.createElement('option');
    o.value = o.textContent = p;
    $('instrument').appendChild(o);
  }
  $('instrument').value = p;
}

// ------------------------------------------------------------------------------------------ training

const training = {job: null, source: null, points: [], evals: []};

async function startTraining() {
  const body = {
    model: $('train-name').value.trim(), config: $('train-config').value,
    steps: Number($('train-steps').value), minutes: Number($('train-minutes').value),
    settings: $('train-settings').value.split(/\s+/).filter((x) => x.length > 0),
  };
  if ($('train-uploads').checked) body.uploads = state.uploads; else body.folder = $('train-folder').value.trim();
  try {
    const job = await ddsp.post('/api/train', body);
    follow(job.id);
    ddsp.message('');
  } catch (e) {
    ddsp.message(e.message);
  }
}

/** Follows a run through Server-Sent Events: progress, new losses, the log; the curve redraws as they come. */
function follow(id) {
  if (training.source) training.source.close();
  training.job = id;
  training.points = [];
  training.evals = [];
  $('train-stop').disabled = false;
  $('train-start').disabled = true;
  const es = new EventSource('/api/train/' + id + '/events');
  training.source = es;
  es.addEventListener('progress', (e) => {
    const j = JSON.parse(e.data);
    if (j.from === 0) training.points = [];
    for (const p of j.points) training.points.push(p);
    for (const p of j.evals) training.evals.push(p);
    $('train-progress').value = j.steps ? j.step / j.steps : 0;
    $('train-state').textContent = j.state + ': step ' + j.step + ' of ' + j.steps
      + (j.loss != null ? ', loss ' + j.loss.toFixed(3) : '') + (j.evalLoss != null ? ', eval ' + j.evalLoss.toFixed(3) : '')
      + ', ' + j.seconds.toFixed(0) + ' s' + (j.message ? ' (' + j.message + ')' : '');
    $('train-log').textContent = j.log.slice(-8).join('\n');
    marks.trainState = j.state;
    marks.trainStep = String(j.step);
    drawCurve();
    if (['done', 'stopped', 'failed'].includes(j.state)) finished(j);
  });
  es.onerror = () => { /* the browser reconnects by itself; a finished run closes the stream */ };
}

async function finished(j) {
  training.source.close();
  training.source = null;
  $('train-stop').disabled = true;
  $('train-start').disabled = false;
  if (j.state === 'failed') { ddsp.message('Training failed: ' + j.message); return; }
  await ddsp.loadInstruments($('instrument'), j.model);
  state.instrument = $('instrument').value;
  ddsp.message('Model "' + j.model + '" is ready and chosen as the instrument above.', 'info');
  render();
}

/** The loss curve: training loss per step (line) and evaluation loss (dots), log scale. */
function drawCurve() {
  const c = $('loss-curve'), g = c.getContext('2d');
  const w = c.width, h = c.height, left = 56, bottom = 28, top = 12, right = 12;
  g.clearRect(0, 0, w, h);
  const all = training.points.concat(training.evals).filter((p) => p[1] != null && p[1] > 0);
  g.fillStyle = '#555';
  g.font = '12px sans-serif';
  if (all.length === 0) { g.fillText('the loss curve appears here while a model trains', left, h / 2); return; }
  const maxStep = Math.max(1, ...all.map((p) => p[0]));
  let lo = Math.log10(Math.min(...all.map((p) => p[1]))), hi = Math.log10(Math.max(...all.map((p) => p[1])));
  if (hi - lo < 0.05) { lo -= 0.05; hi += 0.05; }
  const x = (s) => left + (w - left - right) * s / maxStep;
  const y = (v) => top + (h - top - bottom) * (hi - Math.log10(v)) / (hi - lo);
  g.strokeStyle = '#999';
  g.beginPath(); g.moveTo(left, top); g.lineTo(left, h - bottom); g.lineTo(w - right, h - bottom); g.stroke();
  g.fillText(Math.pow(10, hi).toPrecision(3), 4, top + 8);
  g.fillText(Math.pow(10, lo).toPrecision(3), 4, h - bottom);
  g.fillText('step ' + maxStep, w - right - 70, h - 8);
  g.fillText('loss (log scale)', left + 6, top + 10);
  g.strokeStyle = '#1f6feb';
  g.beginPath();
  training.points.forEach((p, i) => { if (p[1] > 0) (i ? g.lineTo : g.moveTo).call(g, x(p[0]), y(p[1])); });
  g.stroke();
  g.fillStyle = '#d9480f';
  for (const p of training.evals) if (p[1] > 0) { g.beginPath(); g.arc(x(p[0]), y(p[1]), 3, 0, 2 * Math.PI); g.fill(); }
}

// ------------------------------------------------------------------------------------------ wiring

async function init() {
  ddsp.showValue($('pitch'), (v) => (v > 0 ? '+' : '') + v + ' st');
  ddsp.showValue($('loudness'), (v) => (v > 0 ? '+' : '') + v + ' dB');
  ddsp.showValue($('reverb'), (v) => Math.round(100 * v) + ' %');
  for (const id of ['pitch', 'loudness', 'reverb']) $(id).addEventListener('change', render);
  $('auto').addEventListener('change', render);
  $('instrument').addEventListener('change', () => { state.instrument = $('instrument').value; render(); });
  $('use-path').addEventListener('click', usePath);
  $('file').addEventListener('change', () => {
    const f = $('file').files[0];
    if (f) upload(f, f.name);
  });
  $('record').addEventListener('click', startRecording);
  $('stop-record').addEventListener('click', stopRecording);
  $('train-start').addEventListener('click', startTraining);
  $('train-stop').addEventListener('click', () => ddsp.post('/api/train/' + training.job + '/stop', {}).catch((e) => ddsp.message(e.message)));
  try {
    const info = await ddsp.loadInstruments($('instrument'));
    state.instrument = $('instrument').value || null;
    $('limits').textContent = 'WAV, FLAC or MP3, up to ' + info.maxSeconds + ' s and ' + Math.round(info.maxUploadBytes / 1048576)
      + ' MiB. Trained models are kept in ' + info.models + '.';
    for (const c of info.configs) {
      const o = document.createElement('option');
      o.value = o.textContent = c;
      $('train-config').appendChild(o);
    }
    if (info.instruments.length === 0) {
      ddsp.message('No instrument yet: train one below, or type the folder of a trained model.', 'info');
    }
    const current = await ddsp.api('/api/train/current');
    if (current.id && !['done', 'stopped', 'failed'].includes(current.state)) follow(current.id);
  } catch (e) {
    ddsp.message(e.message);
  }
  drawCurve();
  marks.ready = 'yes';
}

init();
