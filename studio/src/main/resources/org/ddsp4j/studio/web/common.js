// Shared by the studio and live pages: requests, messages, the instrument list, microphone capture.
'use strict';

const ddsp = {};

/** fetch() that returns the JSON answer, or throws an Error with the server's message. */
ddsp.api = async function (path, options) {
  const res = await fetch(path, options);
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) throw new Error((body && body.error) || ('request failed: HTTP ' + res.status));
  return body;
};

/** POST a JSON object. */
ddsp.post = function (path, object) {
  return ddsp.api(path, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(object)});
};

/** Shows a message above the page (an error by default); everything else stays as it was. */
ddsp.message = function (text, kind) {
  const box = document.getElementById('message');
  box.textContent = text;
  box.className = kind || 'error';
  box.hidden = !text;
};

/** Fills a <select> with the built-in and trained instruments; keeps the choice when it is still there. */
ddsp.loadInstruments = async function (select, prefer) {
  const info = await ddsp.api('/api/instruments');
  const keep = prefer || select.value;
  select.textContent = '';
  for (const i of info.instruments) {
    const o = document.createElement('option');
    o.value = i.id;
    o.textContent = i.label;
    select.appendChild(o);
  }
  if (keep && info.instruments.some((i) => i.id === keep)) select.value = keep;
  return info;
};

/**
 * The microphone through an AudioWorklet: onBlock(Float32Array) gets blocks of `block` samples at the
 * context's rate (`sampleRate`, or the device's when not given). Echo cancellation, noise suppression
 * and automatic gain are off: they would change the pitch and loudness the model follows.
 */
ddsp.openMicrophone = async function (onBlock, sampleRate, block) {
  const ctx = sampleRate ? new AudioContext({sampleRate: sampleRate, latencyHint: 'interactive'})
                         : new AudioContext({latencyHint: 'interactive'});
  const stream = await navigator.mediaDevices.getUserMedia({audio: {
    echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1}});
  await ctx.audioWorklet.addModule('/static/capture-worklet.js');
  const source = ctx.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(ctx, 'capture', {numberOfInputs: 1, numberOfOutputs: 0,
    processorOptions: {block: block || 1024}});
  node.port.onmessage = (e) => onBlock(e.data);
  source.connect(node);
  if (ctx.state !== 'running') await ctx.resume();
  return {
    context: ctx,
    close: async () => {
      source.disconnect();
      node.port.onmessage = null;
      stream.getTracks().forEach((t) => t.stop());
      await ctx.close();
    },
  };
};

/** Mono float blocks -> a 16-bit PCM WAV file (Blob). */
ddsp.wav = function (blocks, sampleRate) {
  let n = 0;
  for (const b of blocks) n += b.length;
  const buf = new ArrayBuffer(44 + 2 * n);
  const v = new DataView(buf);
  const text = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  text(0, 'RIFF'); v.setUint32(4, 36 + 2 * n, true); text(8, 'WAVE');
  text(12, 'fmt '); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true); v.setUint32(28, 2 * sampleRate, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
  text(36, 'data'); v.setUint32(40, 2 * n, true);
  let o = 44;
  for (const b of blocks) {
    for (let i = 0; i < b.length; i++, o += 2) v.setInt16(o, Math.max(-1, Math.min(1, b[i])) * 32767, true);
  }
  return new Blob([buf], {type: 'audio/wav'});
};

/** Shows a slider's value in its <output> as it moves. */
ddsp.showValue = function (input, format) {
  const out = document.querySelector('output[for="' + input.id + '"]');
  const update = () => { out.textContent = format(Number(input.value)); };
  input.addEventListener('input', update);
  update();
};
