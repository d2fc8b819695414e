// The live page: microphone -> WebSocket -> the server's LiveEngine -> WebSocket -> speakers.
// The AudioContext runs at the model's rate (the browser resamples the microphone and the output), so the
// blocks go over the wire as they are: [f64 page time][f32 x BLOCK] up, [f64 time echoed][f64 server ms][f32 x BLOCK] down.
'use strict';

const $ = (id) => document.getElementById(id);
const BLOCK = 128;          // samples per message: 8 ms at 16 kHz (one AudioWorklet render quantum)
const PRIME_BLOCKS = 3;     // the jitter buffer: blocks queued before playback starts (24 ms)
const marks = document.body.dataset; // read by the browser tests
const SCOPE = 4096;         // samples shown: 0.26 s at 16 kHz
const live = {ws: null, mic: null, player: null, rtts: [], server: [], hello: null,
  scopeIn: new Float32Array(SCOPE), scopeOut: new Float32Array(SCOPE), inAt: 0, outAt: 0};

async function start() {
  const instrument = $('instrument').value;
  if (!instrument) { ddsp.message('Choose an instrument first.'); return; }
  $('start').disabled = true;
  live.rtts = [];
  live.server = [];
  live.received = 0;
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/live?instrument='
    + encodeURIComponent(instrument) + '&reverb=' + ($('reverb').checked ? 1 : 0);
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  live.ws = ws;
  ws.onmessage = (e) => (typeof e.data === 'string' ? onText(JSON.parse(e.data)) : onAudio(e.data));
  ws.onclose = () => { if (live.ws === ws) stop(); };
  ws.onerror = () => ddsp.message('The connection to the studio failed.');
}

async function onText(m) {
  if (m.type === 'error') { ddsp.message(m.message); return; }
  if (m.type === 'status') {
    $('playing').textContent = (m.f0Hz > 0 ? m.f0Hz.toFixed(1) + ' Hz' : '-') + ', ' + m.loudnessDb.toFixed(1) + ' dB; automatic shifts '
      + (m.octaveShift > 0 ? '+' : '') + m.octaveShift + ' st, ' + m.loudnessShift.toFixed(1) + ' dB';
    return;
  }
  if (m.type !== 'hello') return;
  live.hello = m;
  const rate = m.sampleRate;
  try {
    // Capture and playback in one context at the model's rate.
    live.mic = await ddsp.openMicrophone(send, rate, BLOCK);
    const ctx = live.mic.context;
    await ctx.audioWorklet.addModule('/static/playback-worklet.js');
    live.player = new AudioWorkletNode(ctx, 'playback', {numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1],
      processorOptions: {prime: PRIME_BLOCKS * BLOCK, capacity: 16 * BLOCK}});
    live.player.port.onmessage = (e) => {
      $('underruns').textContent = String(e.data.underruns);
      marks.underruns = String(e.data.underruns);
    };
    live.player.connect(ctx.destination);
    sendControls();
    $('engine').textContent = m.latencyMs.toFixed(1) + ' ms (' + m.lookAheadMs.toFixed(1) + ' ms look-ahead, ' + m.frameMs.toFixed(1) + ' ms frame)';
    $('block').textContent = (1000 * BLOCK / rate).toFixed(1) + ' ms (' + BLOCK + ' samples at ' + rate + ' Hz)';
    $('jitter').textContent = (1000 * PRIME_BLOCKS * BLOCK / rate).toFixed(1) + ' ms';
    $('stop').disabled = false;
    marks.live = 'on';
    if (!m.hasStatistics) ddsp.message('This model has no training statistics: no automatic adjustment.', 'info');
    else ddsp.message('');
  } catch (e) {
    ddsp.message('The microphone could not be opened: ' + e.message);
    stop();
  }
}

/** A microphone block goes to the server with the page's clock. */
function send(block) {
  const ws = live.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN) return;
  const buf = new ArrayBuffer(8 + 4 * block.length);
  new DataView(buf).setFloat64(0, performance.now(), true);
  new Float32Array(buf, 8).set(block);
  ws.send(buf);
  live.inAt = scopeAdd(live.scopeIn, live.inAt, block);
}

/** A block from the server: measure the round trip, queue it for playing, draw it. */
function onAudio(data) {
  const v = new DataView(data);
  const sent = v.getFloat64(0, true), serverMs = v.getFloat64(8, true);
  const samples = new Float32Array(data.slice(16));
  live.received++;
  live.rtts.push(performance.now() - sent);
  live.server.push(serverMs);
  if (live.rtts.length > 200) { live.rtts.shift(); live.server.shift(); }
  if (live.player) live.player.port.postMessage(samples); // copied, so the scope below may still read it
  live.outAt = scopeAdd(live.scopeOut, live.outAt, samples);
}

function percentile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Refreshes the latency figures and the scope a few times a second. */
function refresh() {
  if (live.hello && live.rtts.length > 0) {
    const med = percentile(live.rtts, 0.5), p95 = percentile(live.rtts, 0.95);
    const rate = live.hello.sampleRate;
    $('rtt').textContent = med.toFixed(1) + ' ms';
    $('rtt95').textContent = p95.toFixed(1) + ' ms';
    $('server').textContent = percentile(live.server, 0.5).toFixed(2) + ' ms median';
    const total = 1000 * BLOCK / rate + med + live.hello.latencyMs + 1000 * PRIME_BLOCKS * BLOCK / rate;
    $('total').textContent = total.toFixed(1) + ' ms (block + round trip + engine + jitter buffer)';
    marks.rttMs = med.toFixed(2);
    marks.rtt95Ms = p95.toFixed(2);
    marks.engineMs = live.hello.latencyMs.toFixed(2);
    marks.blocks = String(live.received);
  }
  drawScope();
}

/** Appends samples to a scope's ring; returns the new write position. */
function scopeAdd(ring, at, samples) {
  for (let i = 0; i < samples.length; i++) { ring[at] = samples[i]; at = (at + 1) % ring.length; }
  return at;
}

/** The last quarter second in (grey) and out (blue), each scaled to its own peak. */
function drawScope() {
  const c = $('scope'), g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  g.fillStyle = '#5b6475';
  g.font = '12px sans-serif';
  g.fillText('microphone', 6, 14);
  g.fillText('instrument', 6, c.height / 2 + 14);
  trace(g, live.scopeIn, live.inAt, 0, c.height / 2, c.width, '#8c96a8');
  trace(g, live.scopeOut, live.outAt, c.height / 2, c.height / 2, c.width, '#1f6feb');
}

function trace(g, ring, at, top, height, width, color) {
  let peak = 1e-6;
  for (const v of ring) peak = Math.max(peak, Math.abs(v));
  g.strokeStyle = color;
  g.beginPath();
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const x = width * i / n, y = top + height / 2 * (1 - 0.9 * ring[(at + i) % n] / peak);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  }
  g.stroke();
}

function sendControls() {
  const ws = live.ws;
  if (ws && ws.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify({pitch: Number($('pitch').value), loudness: Number($('loudness').value), auto: $('auto').checked}));
  }
}

async function stop() {
  const ws = live.ws, mic = live.mic;
  live.ws = null;
  live.mic = null;
  live.player = null;
  if (ws && ws.readyState <= WebSocket.OPEN) ws.close();
  if (mic) await mic.close();
  $('start').disabled = false;
  $('stop').disabled = true;
  if (ws) $('listen-back').hidden = false;
  marks.live = 'off';
}

async function init() {
  ddsp.showValue($('pitch'), (v) => (v > 0 ? '+' : '') + v + ' st');
  ddsp.showValue($('loudness'), (v) => (v > 0 ? '+' : '') + v + ' dB');
  for (const id of ['pitch', 'loudness', 'auto']) $(id).addEventListener('input', sendControls);
  $('start').addEventListener('click', start);
  $('stop').addEventListener('click', stop);
  try {
    const info = await ddsp.loadInstruments($('instrument'));
    if (info.instruments.length === 0) ddsp.message('No instrument yet: train one on the studio page.', 'info');
  } catch (e) {
    ddsp.message(e.message);
  }
  setInterval(refresh, 250);
  marks.ready = 'yes';
}

init();
